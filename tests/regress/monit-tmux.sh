#!/bin/bash
# procman monit in a real terminal (tmux, 120x35): the app names, their
# status and memory are on screen; the log pane starts with the last
# lines of the files; j then r restarts the second app (its pid
# changes); the log pane shows a line that app printed; at 80x24 it
# still draws; q exits with status 0 and gives the terminal back.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/lib-tmux.sh"

pm start sh --name alpha -- -c 'echo alpha-started; while :; do sleep 1; done' \
    >/dev/null ||
    fail "cannot start alpha"
pm start sh --name beta -- -c \
    'n=0; while :; do n=$((n + 1)); echo "beta-line-$n"; sleep 0.3; done' \
    >/dev/null || fail "cannot start beta"
wait_for 10 '[ "$(jcount online)" = 2 ]' || fail "apps not online"
wait_for 5 'grep -q alpha-started "$PROCMAN_HOME/logs/alpha-0-out.log"' ||
    fail "alpha's first line is not in its log file"
old=$(jpid beta 0)

cmd="env PROCMAN_HOME=$(printf %q "$PROCMAN_HOME") $(printf %q \
    "$PROCMAN_BIN/procman") monit; echo EXIT=\$?; sleep 60"
tm new-session -d -x 120 -y 35 "bash -c $(printf %q "$cmd")" ||
    fail "cannot start tmux"

# Names, statuses, memory figures ("3.1M") and the title.
wait_for 10 'on_screen "procman monit" && on_screen " alpha " &&
    on_screen " beta .* online .*[0-9.]+[KMG] "' ||
    show_fail "the process list is not on screen"
[ "$(screen | grep -c ' online ')" -ge 2 ] || show_fail "statuses missing"

# The first row is selected; its log pane starts with the file's tail.
wait_for 5 'on_screen "logs: alpha" && on_screen "alpha-started"' ||
    show_fail "alpha's past line is not in the log pane"

# The second row, then restart it.
tm send-keys j
wait_for 5 'on_screen "details: beta-0"' || show_fail "j did not select beta"
tm send-keys r
wait_for 15 'p=$(jpid beta 0); [ -n "$p" ] && [ "$p" != 0 ] &&
    [ "$p" != "$old" ] && [ "$(jfield beta 0 status)" = online ]' ||
    show_fail "r did not restart beta (pid still $old)"
wait_for 5 'on_screen "beta-0 \(id [0-9]+\) restarted"' ||
    show_fail "no result of the restart on the status line"
[ "$(jpid alpha 0)" != 0 ] || show_fail "alpha was touched"

# Its log lines, as they come.
wait_for 5 'on_screen "logs: beta" && on_screen "beta-line-[0-9]+"' ||
    show_fail "the log pane does not show beta's lines"

# A smaller terminal: everything is drawn again within 80x24.
tm resize-window -x 80 -y 24 || fail "cannot resize"
wait_for 5 '[ "$(screen | wc -l)" -le 24 ] && on_screen " beta " &&
    on_screen "^ procman monit" && on_screen "beta-line-[0-9]+" &&
    ! screen | grep -qE ".{81}"' ||
    show_fail "the screen is not redrawn at 80x24"

tm send-keys q
wait_for 5 'on_screen "^EXIT=0"' || show_fail "q did not exit with status 0"
# The normal screen is back: the dashboard is gone from it.
on_screen "procman monit" && show_fail "the dashboard is still on screen"
exit 0

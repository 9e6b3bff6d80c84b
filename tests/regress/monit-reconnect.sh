#!/bin/bash
# procman monit when the daemon goes away: the screen says so, monit
# does not start a daemon itself, and once another command has started
# one it shows that daemon's apps.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/lib-tmux.sh"

pm start sh --name alpha -- -c 'while :; do sleep 1; done' >/dev/null ||
    fail "cannot start alpha"
first=$(daemon_pid) || fail "no daemon pid"

cmd="env PROCMAN_HOME=$(printf %q "$PROCMAN_HOME") $(printf %q \
    "$PROCMAN_BIN/procman") monit; echo EXIT=\$?; sleep 60"
tm new-session -d -x 100 -y 30 "bash -c $(printf %q "$cmd")" ||
    fail "cannot start tmux"
wait_for 10 'on_screen " alpha .* online" &&
    on_screen "procmand pid $first"' || show_fail "monit did not come up"

pm kill >/dev/null || fail "procman kill failed"
wait_for 10 'on_screen "procmand is not running" &&
    on_screen "lost procmand"' || show_fail "the lost daemon is not shown"
daemon_alive && show_fail "monit started a daemon by itself"

# Another command brings a daemon back; the dashboard follows it.
pm start sh --name gamma -- -c 'while :; do sleep 1; done' >/dev/null ||
    fail "cannot start gamma"
second=$(daemon_pid) || fail "no daemon pid"
[ "$second" != "$first" ] || fail "the same daemon pid $first"
wait_for 10 'on_screen " gamma .* online" &&
    on_screen "procmand pid $second"' ||
    show_fail "monit did not reconnect to the new daemon"
on_screen " alpha " && show_fail "the old daemon's alpha is still listed"

tm send-keys q
wait_for 5 'on_screen "^EXIT=0"' || show_fail "q did not exit with status 0"
exit 0

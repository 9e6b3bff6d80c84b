#!/bin/bash
# procman monit's other keys, with NO_COLOR set and UTF-8 log lines:
# no colour is sent; a UTF-8 line shows as written and control bytes do
# not reach the terminal; > sorts, / filters, s stops, S starts, d asks
# and deletes, ? shows the help; every action says how it went.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/lib-tmux.sh"

utf8=$(locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' | head -n 1)
[ -n "$utf8" ] || utf8=$(locale -a 2>/dev/null | grep -iE 'utf-?8$' |
    head -n 1)

line='printf "h\303\251llo w\303\266rld \033[31mX\001\n"'
pm start sh --name uno -- -c "while :; do $line; sleep 0.3; done" \
    >/dev/null || fail "cannot start uno"
pm start sh --name dos -- -c 'while :; do sleep 1; done' >/dev/null ||
    fail "cannot start dos"
wait_for 10 '[ "$(jcount online)" = 2 ]' || fail "apps not online"

cmd="env NO_COLOR=1 ${utf8:+LC_ALL=$utf8} PROCMAN_HOME=$(printf %q \
    "$PROCMAN_HOME") $(printf %q "$PROCMAN_BIN/procman") monit; \
    echo EXIT=\$?; sleep 60"
tm new-session -d -x 120 -y 35 "bash -c $(printf %q "$cmd")" ||
    fail "cannot start tmux"
wait_for 10 'on_screen " uno .* online" && on_screen " dos .* online"' ||
    show_fail "monit did not come up"

# No colour at all: no SGR colour codes in the pane's escapes.
tm capture-pane -p -e >"$TEST_DIR/esc"
grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48)(;[0-9;]*)?m' \
    "$TEST_DIR/esc" && show_fail "colour sent although NO_COLOR is set"

# The log line: UTF-8 as written (in a UTF-8 locale), the escape and
# the control byte shown as '?', never passed to the terminal.
if [ -n "$utf8" ]; then
	wait_for 5 'on_screen "héllo wörld \?\[31mX\?"' ||
	    show_fail "the UTF-8 log line is not shown as written"
fi
grep -q $'\e\\[31mX' "$TEST_DIR/esc" &&
    show_fail "an app's escape sequence reached the terminal"

# Sort by the next key, then back.
tm send-keys '>'
wait_for 5 'on_screen "sort: cpu"' || show_fail "> did not sort by cpu"
tm send-keys '<'
wait_for 5 'on_screen "sort: id"' || show_fail "< did not sort by id"

# Filter: only dos is left, then Esc brings uno back.
tm send-keys / d o s Enter
wait_for 5 'on_screen "filter: dos" && ! on_screen " uno "' ||
    show_fail "/ did not filter"
tm send-keys Escape
wait_for 5 'on_screen " uno "' || show_fail "Esc did not clear the filter"

# The help, closed by any key.
tm send-keys '?'
wait_for 5 'on_screen "any key closes" || on_screen "Any key closes"' ||
    show_fail "? did not show the help"
tm send-keys x
wait_for 5 '! on_screen "Any key closes"' || show_fail "the help stays"

# dos (second row): stop, start, delete with y.
tm send-keys j s
wait_for 15 '[ "$(jfield dos 0 status)" = stopped ] &&
    on_screen "dos-0 \(id [0-9]+\) stopped"' || show_fail "s did not stop dos"
tm send-keys S
wait_for 15 '[ "$(jfield dos 0 status)" = online ] &&
    on_screen "dos-0 \(id [0-9]+\) started"' || show_fail "S did not start dos"
tm send-keys d
wait_for 5 'on_screen "delete dos-0 \(id [0-9]+\)\? y/n"' ||
    show_fail "d did not ask"
tm send-keys n
wait_for 5 'on_screen "cancelled"' || show_fail "n did not cancel"
[ "$(jcount any dos)" = 1 ] || show_fail "n deleted dos"
tm send-keys d y
wait_for 15 '[ "$(jcount any dos)" = 0 ] && on_screen "deleted" &&
    ! on_screen " dos .* online"' || show_fail "d y did not delete dos"
[ "$(jfield uno 0 status)" = online ] || show_fail "uno was touched"

tm send-keys q
wait_for 5 'on_screen "^EXIT=0"' || show_fail "q did not exit with status 0"
exit 0

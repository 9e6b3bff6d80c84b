#!/bin/bash
# After `procman kill`, the next command that needs the daemon brings it
# back: `procman list` exits 0 and the daemon answers again.
. "$(dirname "$0")/lib.sh"

pm list >/dev/null 2>&1 || fail "first list failed"
d1=$(daemon_pid) || fail "no daemon pid"
pm kill >/dev/null 2>&1 || fail "kill failed"
wait_for 5 "! proc_alive $d1" || fail "the daemon survived kill"
daemon_alive && fail "ping succeeded after kill"

pm list >"$TEST_DIR/out" 2>&1 || fail "list after kill: $(cat "$TEST_DIR/out")"
daemon_alive || fail "no daemon after list"
d2=$(daemon_pid) || fail "no daemon pid after list"
[ "$d2" != "$d1" ] || fail "the same daemon pid"
proc_alive "$d2" || fail "the new daemon $d2 is not alive"
exit 0

#!/bin/bash
# stop, restart and delete take an app name, a numeric proc id or "all";
# an unknown name or id is an error (exit 1).
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name a -i 2 >/dev/null 2>&1 || fail "start a"
pm start sleep 1001 --name b >/dev/null 2>&1 || fail "start b"
wait_for 10 '[ "$(jcount online)" = 3 ]' || fail "3 procs not online"

# By name: both instances of a, b untouched.
bpid=$(jpid b 0)
pm stop a >/dev/null 2>&1 || fail "stop a"
[ "$(jcount stopped a)" = 2 ] || fail "a not stopped by name"
[ "$(jfield b 0 status)" = online ] && [ "$(jpid b 0)" = "$bpid" ] ||
    fail "stop a touched b"

# restart by name brings a back with new pids.
pm restart a >/dev/null 2>&1 || fail "restart a"
wait_for 5 '[ "$(jcount online a)" = 2 ]' || fail "a not online after restart"

# By id: only that proc.
id=$(jfield a 1 id)
other=$(jpid a 0)
pm stop "$id" >/dev/null 2>&1 || fail "stop by id $id"
[ "$(jfield a 1 status)" = stopped ] || fail "proc $id not stopped"
[ "$(jfield a 0 status)" = online ] && [ "$(jpid a 0)" = "$other" ] ||
    fail "stop $id touched a:0"
pm restart "$id" >/dev/null 2>&1 || fail "restart by id"
wait_for 5 '[ "$(jfield a 1 status)" = online ]' || fail "$id not back"
old=$(jpid a 1)
pm restart "$id" >/dev/null 2>&1 || fail "restart of an online id"
wait_for 5 '[ "$(jfield a 1 status)" = online ] && [ "$(jpid a 1)" != "$old" ]' ||
    fail "restart of $id did not give a new pid"
[ "$(jpid a 0)" = "$other" ] || fail "restart $id touched a:0"
proc_alive "$old" && fail "restart left the old pid $old running"

# Unknown targets fail with 1 and change nothing.
pm stop nosuchapp >/dev/null 2>"$TEST_DIR/err"
[ $? = 1 ] || fail "stop of an unknown app did not exit 1"
grep -q nosuchapp "$TEST_DIR/err" || fail "message: $(cat "$TEST_DIR/err")"
pm delete 9999 >/dev/null 2>&1
[ $? = 1 ] || fail "delete of an unknown id did not exit 1"
[ "$(jcount online)" = 3 ] || fail "a failed target changed something"

# delete by id forgets just that proc.
pm delete "$id" >/dev/null 2>&1 || fail "delete by id"
[ "$(jlist_py "[p['id'] for p in procs if p['id'] == $id]")" = "[]" ] ||
    fail "proc $id still listed after delete"
[ "$(jcount any)" = 2 ] || fail "delete by id removed more than one proc"

# all.
pids=$(jlist_py "' '.join(str(p['pid']) for p in procs)")
pm stop all >/dev/null 2>&1 || fail "stop all"
[ "$(jcount stopped)" = 2 ] || fail "stop all left something running"
for p in $pids; do
	proc_alive "$p" && fail "pid $p alive after stop all"
done
pm restart all >/dev/null 2>&1 || fail "restart all"
wait_for 5 '[ "$(jcount online)" = 2 ]' || fail "restart all"

# delete by name, then all.
pm delete b >/dev/null 2>&1 || fail "delete b"
[ "$(jcount any b)" = 0 ] || fail "b still listed"
[ "$(jcount online a)" = 1 ] || fail "delete b touched a"
pids=$(jpids a)
pm delete all >/dev/null 2>&1 || fail "delete all"
[ "$(jcount any)" = 0 ] || fail "delete all left procs"
for p in $pids; do
	proc_alive "$p" && fail "pid $p alive after delete all"
done
daemon_alive || fail "the daemon died"
exit 0

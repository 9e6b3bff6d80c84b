#!/bin/bash
# If the daemon is SIGKILLed, the next command brings it back, and no app
# ends up running twice or orphaned: every process of the app that still
# runs is one the new daemon lists.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name dur -i 2 >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online dur)" = 2 ]' || fail "not online"
d1=$(daemon_pid) || fail "no daemon pid"
kill -KILL "$d1"
wait_for 5 "! proc_alive $d1" || fail "the daemon survived SIGKILL"

pm list >"$TEST_DIR/out" 2>&1 || fail "list after SIGKILL: $(cat "$TEST_DIR/out")"
daemon_alive || fail "no daemon after list"
d2=$(daemon_pid)
[ "$d2" != "$d1" ] || fail "the same daemon pid"

# Every process that carries PROCMAN_APP=dur must be one the new daemon
# lists (adopted or restarted), and none may run twice.  Allow a restored
# app a moment to settle.
running_dur() {
	local p
	for p in $(our_pids); do
		[ "$p" = "$d2" ] && continue
		tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
		    grep -qx 'PROCMAN_APP=dur' && echo "$p"
	done | sort -n | tr '\n' ' '
}
listed_dur() {
	jlist_py "' '.join(sorted((str(p['pid']) for p in procs if p['name'] == 'dur' and p['pid'] > 0), key=int))"
}
same() {
	local r
	r=$(running_dur)
	[ "${r% }" = "$(listed_dur)" ]
}
wait_for 5 same ||
    fail "running app processes [$(running_dur)] differ from listed [$(listed_dur)]"
n=$(listed_dur | wc -w)
[ "$n" -le 2 ] || fail "dur runs $n times"
exit 0

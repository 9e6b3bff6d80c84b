#!/bin/bash
# Two PROCMAN_HOMEs are independent: each has its own daemon and apps;
# killing one leaves the other running.
. "$(dirname "$0")/lib.sh"

HOME_A=$PROCMAN_HOME
HOME_B=$TEST_DIR/home-b
pmb() {
	PROCMAN_HOME=$HOME_B pm "$@"
}
# Our cleanup only knows HOME_A: stop B's daemon and its apps by pid.
cleanup_b() {
	local rc=$? p
	p=$(cat "$HOME_B/procmand.pid" 2>/dev/null)
	PROCMAN_HOME=$HOME_B timeout 20 "$PROCMAN_BIN/procman" kill \
	    >/dev/null 2>&1
	[ -n "$p" ] && proc_alive "$p" && kill -KILL "$p"
	for p in $(PROCMAN_HOME=$HOME_B our_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	(exit $rc)
	_lib_cleanup
}
trap cleanup_b EXIT

pm start sleep 1000 --name same >/dev/null 2>&1 || fail "start in A"
pmb start sleep 1001 --name same -i 2 >/dev/null 2>&1 || fail "start in B"
wait_for 10 '[ "$(jcount online)" = 1 ]' || fail "A's app not online"
wait_for 10 '[ "$(PROCMAN_HOME=$HOME_B jcount online)" = 2 ]' ||
    fail "B's apps not online"
[ "$(daemon_pid)" != "$(cat "$HOME_B/procmand.pid")" ] ||
    fail "one daemon for both homes"
a=$(jpid same 0)
b=$(PROCMAN_HOME=$HOME_B jpids same)

pm kill >/dev/null 2>&1 || fail "kill A"
wait_for 5 "! proc_alive $a" || fail "A's app survived kill"
PROCMAN_HOME=$HOME_B daemon_alive || fail "killing A stopped B's daemon"
[ "$(PROCMAN_HOME=$HOME_B jpids same)" = "$b" ] || fail "B's apps changed"
for p in $b; do
	proc_alive "$p" || fail "B's pid $p died"
done
exit 0

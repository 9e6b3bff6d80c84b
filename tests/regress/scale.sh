#!/bin/bash
# `scale NAME 3` then `scale NAME 1`: instances are 0..N-1, and scaling
# down stops the highest instances first, leaving instance 0 running.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name sc >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online sc)" = 1 ]' || fail "not online"
p0=$(jpid sc 0)

pm scale sc 3 >/dev/null 2>&1 || fail "scale sc 3"
wait_for 5 '[ "$(jcount online sc)" = 3 ]' || fail "not 3 online"
[ "$(jlist_py "sorted(p['instance'] for p in procs if p['name'] == 'sc')")" = \
    "[0, 1, 2]" ] || fail "instances are not 0..2"
[ "$(jpid sc 0)" = "$p0" ] || fail "scale up restarted instance 0"
p1=$(jpid sc 1)
p2=$(jpid sc 2)

pm scale sc 1 >/dev/null 2>&1 || fail "scale sc 1"
wait_for 5 '[ "$(jcount any sc)" = 1 ] || [ "$(jcount online sc)" = 1 ]' ||
    fail "not scaled down"
[ "$(jcount online sc)" = 1 ] || fail "not exactly one online"
[ "$(jfield sc 0 status)" = online ] && [ "$(jpid sc 0)" = "$p0" ] ||
    fail "instance 0 was not the one kept"
wait_for 3 "! proc_alive $p1 && ! proc_alive $p2" ||
    fail "instances 1 and 2 still run"

pm scale sc 0 >/dev/null 2>&1
[ $? = 2 ] || fail "scale to 0 is not a usage error"
pm scale nosuch 2 >/dev/null 2>&1
[ $? = 1 ] || fail "scale of an unknown app did not exit 1"
exit 0

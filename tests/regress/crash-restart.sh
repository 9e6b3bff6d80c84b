#!/bin/bash
# An app killed from outside is restarted at once with a new pid, and
# its restart is counted.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name victim >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online victim)" = 1 ]' || fail "not online"
# Let the run outlast min_uptime (1 s): a stable run, so the restart is
# immediate rather than backed off.
wait_for 5 '[ "$(jfield victim 0 uptime_ms)" -gt 1200 ] 2>/dev/null' ||
    fail "uptime_ms does not grow"
old=$(jpid victim 0)
kill -KILL "$old"
wait_for 2 'p=$(jpid victim 0); [ "$p" -gt 0 ] && [ "$p" != "$old" ] &&
    [ "$(jfield victim 0 status)" = online ]' ||
    fail "no new pid within 2 s"
[ "$(jfield victim 0 restarts)" = 1 ] ||
    fail "restarts is $(jfield victim 0 restarts), expected 1"
proc_alive "$(jpid victim 0)" || fail "the new pid is not alive"
proc_alive "$old" && fail "the old pid is still alive"
exit 0

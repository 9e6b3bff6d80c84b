#!/bin/bash
# An app that keeps dying before min_uptime is marked errored after
# max_restarts unstable runs (as in PM2: 3 unstable runs, 2 restarts)
# and left stopped; its restarts stay bounded.
. "$(dirname "$0")/lib.sh"

crasher=$(helper crasher) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: crashy
    script: $crasher
    args: ["3"]
    min_uptime: 1s
    max_restarts: 3
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1
wait_for 30 '[ "$(jfield crashy 0 status)" = errored ]' ||
    fail "not errored after 30 s"
r=$(jfield crashy 0 restarts)
[ "$r" -ge 2 ] && [ "$r" -le 3 ] ||
    fail "restarts $r, expected 2 (or 3) for max_restarts 3"
[ "$(jfield crashy 0 pid)" = 0 ] || fail "an errored proc has a pid"
u=$(jfield crashy 0 unstable_restarts)
[ "$u" -ge 3 ] && [ "$u" -le 4 ] ||
    fail "unstable_restarts $u, expected 3"
# And it stays that way.
sleep 1.5
[ "$(jfield crashy 0 status)" = errored ] || fail "errored did not stick"
[ "$(jfield crashy 0 restarts)" = "$r" ] || fail "restarted after errored"
daemon_alive || fail "the daemon died"
exit 0

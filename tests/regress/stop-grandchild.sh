#!/bin/bash
# `stop` kills the app's whole tree: a grandchild forked by the app (in
# its process group) is gone too.  FORKER_ARGS lets the sibling scripts
# (stop-grandchild-setsid, -double, -setsid-double) reuse this one.
. "$(dirname "$0")/lib.sh"

forker=$(helper forker) || exit 1
args=${FORKER_ARGS:-}
yargs="[]"
[ -n "$args" ] && yargs="\"$args\""
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: tree
    script: $forker
    args: $yargs
    kill_timeout: 1s
    env:
      FORKER_PIDFILE: $TEST_DIR/grandchild.pid
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online tree)" = 1 ]' || fail "not online"
wait_for 5 "[ -s '$TEST_DIR/grandchild.pid' ]" || fail "no grandchild pid"
gc=$(cat "$TEST_DIR/grandchild.pid")
track_pid "$gc"
main=$(jpid tree 0)
proc_alive "$gc" || fail "the grandchild $gc is not running"

pm stop tree >/dev/null 2>&1 || fail "stop failed"
[ "$(jfield tree 0 status)" = stopped ] ||
    fail "status $(jfield tree 0 status) after stop"
wait_for 3 "! proc_alive $main" || fail "the app's pid $main survived stop"
wait_for 3 "! proc_alive $gc" ||
    fail "the grandchild $gc ($args) survived stop"
daemon_alive || fail "the daemon died"
exit 0

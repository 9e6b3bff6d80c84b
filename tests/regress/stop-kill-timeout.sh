#!/bin/bash
# A child that ignores SIGTERM is SIGKILLed once kill_timeout (500ms)
# expires: stop completes in about that time and the pid is gone.
. "$(dirname "$0")/lib.sh"

it=$(helper ignore-term) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: stubborn
    script: $it
    kill_timeout: 500ms
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online stubborn)" = 1 ]' || fail "not online"
pid=$(jpid stubborn 0)
# Give it time to install its SIGTERM handler (it prints its pid after).
wait_for 5 "grep -qx '$pid' '$PROCMAN_HOME'/logs/stubborn-0-out.log 2>/dev/null" ||
    sleep 0.5
proc_alive "$pid" || fail "pid $pid not alive"

t0=$(now_ms)
pm stop stubborn >/dev/null 2>&1 || fail "stop failed"
t1=$(now_ms)
[ $((t1 - t0)) -lt 3000 ] || fail "stop took $((t1 - t0)) ms (kill_timeout 500ms)"
[ $((t1 - t0)) -ge 400 ] ||
    fail "stop took $((t1 - t0)) ms: SIGKILL sent before kill_timeout?"
wait_for 1 "! proc_alive $pid" || fail "pid $pid survived stop"
[ "$(jfield stubborn 0 status)" = stopped ] || fail "status not stopped"
[ "$(jfield stubborn 0 pid)" = 0 ] || fail "pid not 0 after stop"
exit 0

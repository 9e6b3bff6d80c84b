#!/bin/bash
# SIGTERM to procmand stops every app (each with its stop_signal and
# kill_timeout, in parallel), then procmand exits; nothing of ours is
# left, not even a grandchild in its own session, and the next daemon
# starts with no apps.
. "$(dirname "$0")/lib.sh"

forker=$(helper forker) || exit 1
it=$(helper ignore-term) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: tree
    script: $forker
    args: ["--setsid"]
    env:
      FORKER_PIDFILE: $TEST_DIR/gc.pid
  - name: stubborn
    script: $it
    kill_timeout: 700ms
    instances: 2
  - name: plain
    script: sleep
    args: ["1000"]
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online)" = 4 ]' || fail "not online"
wait_for 5 "[ -s '$TEST_DIR/gc.pid' ]" || fail "no grandchild"
track_pid "$(cat "$TEST_DIR/gc.pid")"
d=$(daemon_pid) || fail "no daemon pid"

t0=$(now_ms)
kill -TERM "$d"
wait_for 10 "! proc_alive $d" || fail "procmand survived SIGTERM"
t=$(( $(now_ms) - t0 ))
# Two stubborn instances of 700 ms each: in parallel, not one by one.
[ "$t" -lt 1400 ] || fail "shutdown took ${t}ms: not in parallel"
[ "$t" -ge 600 ] || fail "shutdown took ${t}ms: kill_timeout not honoured"
left=$(our_pids)
[ -z "$left" ] || fail "left behind: $left"
grep -q "shutting down (SIGTERM)" "$PROCMAN_HOME/procmand.log" ||
    fail "no shutdown logged"
[ "$(jcount any)" = 0 ] || fail "the next daemon restored apps"
exit 0

#!/bin/bash
# `procman kill` stops every app and the daemon and leaves no process of
# ours behind (found by the PROCMAN_HOME in their environment), not even
# grandchildren.
. "$(dirname "$0")/lib.sh"

forker=$(helper forker) || exit 1
it=$(helper ignore-term) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: sleepers
    script: sleep
    args: ["1000"]
    instances: 2
  - name: tree
    script: $forker
    env:
      FORKER_PIDFILE: $TEST_DIR/gc.pid
  - name: stubborn
    script: $it
    kill_timeout: 500ms
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online)" = 4 ]' || fail "4 procs not online"
wait_for 5 "[ -s '$TEST_DIR/gc.pid' ]" || fail "no grandchild"
gc=$(cat "$TEST_DIR/gc.pid")
track_pid "$gc"
d=$(daemon_pid) || fail "no daemon pid"
ours=$(our_pids)
[ "$(echo $ours | wc -w)" -ge 6 ] ||
    fail "expected >= 6 processes of ours (daemon, 4 apps, grandchild), found: $ours"

pm kill >/dev/null 2>&1 || fail "kill failed"
wait_for 5 "! proc_alive $d" || fail "the daemon $d survived kill"
wait_for 5 '[ -z "$(our_pids)" ]' ||
    fail "left behind: $(for p in $(our_pids); do tr '\0' ' ' </proc/$p/cmdline; echo; done)"
proc_alive "$gc" && fail "the grandchild survived"
pm ping >/dev/null 2>&1 && fail "ping after kill succeeded"
[ ! -S "$PROCMAN_HOME/procman.sock" ] || fail "the socket was left behind"
exit 0

#!/bin/bash
# After procmand is SIGKILLed while an app has a grandchild that left its
# process group (setsid), the recovery ends the old grandchild too (found
# by the PROCMAN_HOME and PROCMAN_ID in its environment), and the app
# runs once: one forker and one grandchild, both new.
. "$(dirname "$0")/lib.sh"

forker=$(helper forker) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: tree
    script: $forker
    args: ["--setsid"]
    kill_timeout: 500ms
    env:
      FORKER_PIDFILE: $TEST_DIR/gc.pid
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online)" = 1 ]' || fail "not online"
wait_for 5 "[ -s '$TEST_DIR/gc.pid' ]" || fail "no grandchild"
gc1=$(cat "$TEST_DIR/gc.pid")
p1=$(jpid tree 0)
track_pid "$gc1"
rm -f "$TEST_DIR/gc.pid"
d1=$(daemon_pid) || fail "no daemon pid"
kill -KILL "$d1"
wait_for 5 "! proc_alive $d1" || fail "the daemon survived SIGKILL"

pm jlist >"$TEST_DIR/out" 2>&1 || fail "jlist after SIGKILL: $(cat "$TEST_DIR/out")"
wait_for 10 '[ "$(jcount online)" = 1 ]' || fail "not online again"
wait_for 5 "[ -s '$TEST_DIR/gc.pid' ]" || fail "no new grandchild"
gc2=$(cat "$TEST_DIR/gc.pid")
p2=$(jpid tree 0)
proc_alive "$p1" && fail "the old forker $p1 still runs"
proc_alive "$gc1" && fail "the old grandchild $gc1 still runs"
[ "$p2" != "$p1" ] && [ "$gc2" != "$gc1" ] || fail "not restarted"
running=$(marker_pids --setsid | tr '\n' ' ')
[ "${running% }" = "$(echo "$p2 $gc2" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" ] ||
    fail "running [${running% }], expected forker $p2 and grandchild $gc2"
exit 0

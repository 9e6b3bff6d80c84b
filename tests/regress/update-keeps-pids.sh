#!/bin/bash
# procman update re-executes procmand with the same pid while every app
# keeps running with its pid, its output still reaching its log through
# the same pipe, and its exit still seen (it is restarted as before).
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: talker
    script: sh
    args: ["-c", "i=0; while :; do echo line $i; i=$((i+1)); sleep 0.1; done"]
  - name: sleepers
    script: sleep
    args: ["1000"]
    instances: 2
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online)" = 3 ]' || fail "not online"
d1=$(daemon_pid) || fail "no daemon pid"
before=$(jlist_py "' '.join(str(p['pid']) for p in procs)")
log=$PROCMAN_HOME/logs/talker-0-out.log
wait_for 5 "[ -s '$log' ]" || fail "talker writes nothing"

pm update >"$TEST_DIR/out" 2>&1 || fail "update: $(cat "$TEST_DIR/out")"
grep -q "procmand updated" "$TEST_DIR/out" || fail "update said: $(cat "$TEST_DIR/out")"
[ "$(daemon_pid)" = "$d1" ] || fail "the daemon pid changed"
after=$(jlist_py "' '.join(str(p['pid']) for p in procs)")
[ "$before" = "$after" ] || fail "app pids changed: [$before] -> [$after]"
[ "$(jcount online)" = 3 ] || fail "not all online after update"
grep -q "update: now running" "$PROCMAN_HOME/procmand.log" ||
    fail "no update in procmand.log"

# The pipe still works: new lines arrive after the update.
n=$(wc -l <"$log")
wait_for 5 "[ \$(wc -l <'$log') -gt $((n + 3)) ]" || fail "the talker's log stopped growing"
# And exits are still seen: a killed app is restarted.
p=$(jpid sleepers 1)
kill -KILL "$p"
wait_for 10 "[ \"\$(jfield sleepers 1 restarts)\" = 1 ] && [ \"\$(jcount online sleepers)\" = 2 ]" ||
    fail "a killed app was not restarted after update"
[ "$(jpid sleepers 1)" != "$p" ] || fail "same pid after restart"
exit 0

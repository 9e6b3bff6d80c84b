#!/bin/bash
# After an external logrotate renames a log, `procman reload-logs` and
# SIGUSR2 to procmand make new lines go to a new file by the old name.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: tick
    script: sh
    args: ["-c", "i=0; while :; do echo tick-$i; i=$((i+1)); sleep 0.05; done"]
EOF2
log=$PROCMAN_HOME/logs/tick-0-out.log
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 "[ -s '$log' ]" || fail "no output"
mv "$log" "$log.old"
pm reload-logs >/dev/null || fail "reload-logs failed"
wait_for 5 "[ -s '$log' ]" || fail "reload-logs did not reopen $log"
mv "$log" "$log.old2"
kill -USR2 "$(daemon_pid)"
wait_for 5 "[ -s '$log' ]" || fail "SIGUSR2 did not reopen $log"
daemon_alive || fail "the daemon died of SIGUSR2"
grep -q "SIGUSR2: reopening" "$PROCMAN_HOME/procmand.log" ||
    fail "SIGUSR2 not in procmand.log"
exit 0

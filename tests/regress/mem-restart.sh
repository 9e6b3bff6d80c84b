#!/bin/bash
# An app whose tree grows past max_memory_restart is restarted within 3 s
# of crossing the limit; the restart is counted and its reason recorded.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: leak
    script: $PROCMAN_HELPERS/leaker
    args: ["-g", "10", "-i", "100"]
    max_memory_restart: 64M
    min_uptime: 100ms
EOF
t0=$(now_ms)
pm start "$TEST_DIR/eco.yaml" >/dev/null || fail "start failed"
# 10 MiB per 100 ms crosses 64M about 0.7 s after the start.
wait_for 6 '[ "$(jfield leak 0 restarts)" -ge 1 ] 2>/dev/null' ||
    fail "not restarted for memory"
elapsed=$(( $(now_ms) - t0 ))
[ "$elapsed" -lt 4500 ] ||
    fail "restart came ${elapsed} ms after start (limit crossed at ~700)"
reason=$(pm describe leak --json | "$PY" -c '
import json, sys; print(json.load(sys.stdin)[0]["last_restart_reason"])')
case $reason in
"memory "*" > 64M") ;;
*) fail "last_restart_reason is \"$reason\"" ;;
esac
grep -q 'leak-0: memory .* > 64M: restarting' "$PROCMAN_HOME/procmand.log" ||
    fail "procmand.log does not record the memory restart"
wait_for 5 '[ "$(jfield leak 0 status)" = online ]' ||
    fail "not online again after the memory restart"
exit 0

#!/bin/bash
# An app over its memory limit from birth is not restarted forever: its
# memory restarts count as unstable runs and it ends errored.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: fat
    script: $PROCMAN_HELPERS/leaker
    args: ["-s", "100", "-g", "0"]
    max_memory_restart: 32M
    max_restarts: 3
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null || fail "start failed"
wait_for 20 '[ "$(jfield fat 0 status)" = errored ]' ||
    fail "status $(jfield fat 0 status), expected errored"
[ "$(jfield fat 0 pid)" = 0 ] || fail "errored but pid $(jfield fat 0 pid)"
r=$(jfield fat 0 restarts)
[ "$r" -ge 2 ] && [ "$r" -le 3 ] || fail "restarts $r, expected 2 or 3"
exit 0

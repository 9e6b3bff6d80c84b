#!/bin/bash
# Memory allocated by a forked child counts in the app's tree.
. "$(dirname "$0")/lib.sh"

pm start "$PROCMAN_HELPERS/leaker" --name tree -- -f -s 80 -g 0 -i 1000 \
    >/dev/null || fail "start failed"
# The child holds 80 MiB; the parent almost nothing.
wait_for 8 '[ "$(jfield tree 0 memory)" -gt $((80 * 1024 * 1024)) ] \
    2>/dev/null' || fail "tree memory $(jfield tree 0 memory) < 80 MiB"
n=$(pm describe tree --json | "$PY" -c '
import json, sys; print(json.load(sys.stdin)[0]["processes"])')
[ "$n" = 2 ] || fail "describe counts $n processes in the tree, expected 2"
exit 0

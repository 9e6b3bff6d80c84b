#!/bin/bash
# `procman logs` prints the last N lines of each file prefixed with
# "app-N | ", plain when not on a terminal; --out/--err pick a stream,
# --json gives objects, --daemon shows procmand.log.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: say
    script: sh
    args: ["-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo line-$i; done; echo bad >&2"]
    autorestart: false
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jfield say 0 status)" = stopped ]' || fail "did not end"
pm logs say --lines 3 --out >"$TEST_DIR/o" || fail "logs failed"
printf 'say-0 | line-18\nsay-0 | line-19\nsay-0 | line-20\n' >"$TEST_DIR/want"
cmp -s "$TEST_DIR/o" "$TEST_DIR/want" || fail "logs --lines 3 --out printed: $(cat -A "$TEST_DIR/o")"
n=$(pm logs say | grep -c '^say-0 | line-')
[ "$n" = 15 ] || fail "default --lines printed $n lines, not 15"
pm logs say --err >"$TEST_DIR/e" || fail "logs --err failed"
[ "$(cat "$TEST_DIR/e")" = "say-0 | bad" ] || fail "logs --err printed: $(cat "$TEST_DIR/e")"
pm logs say --lines 1 --json --out >"$TEST_DIR/j" || fail "logs --json failed"
"$PY" -c '
import json, sys
o = json.loads(open(sys.argv[1]).read())
assert o == {"app": "say", "instance": 0, "stream": "out", "time": None,
    "line": "line-20"}, o
' "$TEST_DIR/j" || fail "logs --json printed: $(cat "$TEST_DIR/j")"
pm logs --daemon --lines 50 | grep -q "say-0: started pid" ||
    fail "logs --daemon does not show the start"
pm logs nosuch >/dev/null 2>&1 && fail "logs of an unknown app succeeded"
pm logs say --lines x >/dev/null 2>&1; [ $? = 2 ] || fail "bad --lines is not a usage error"
exit 0

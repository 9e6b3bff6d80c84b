#!/bin/bash
# `procman logs --follow` prints lines written after it started, pushed
# by the daemon; --json gives one object per line.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: tick
    script: sh
    args: ["-c", "i=0; while :; do echo tick-$i; echo oops-$i >&2; i=$((i+1)); sleep 0.1; done"]
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 "[ -s '$PROCMAN_HOME/logs/tick-0-out.log' ]" || fail "no output"

"$PROCMAN_BIN/procman" logs tick --follow --lines 0 --out \
    >"$TEST_DIR/follow" 2>"$TEST_DIR/follow.err" &
track_pid $!
"$PROCMAN_BIN/procman" logs all --follow --lines 0 --err --json \
    >"$TEST_DIR/json" 2>&1 &
track_pid $!
# --lines 0 shows nothing of the past: these lines came after.
wait_for 10 "[ \$(grep -c '^tick-0 | tick-[0-9]*\$' '$TEST_DIR/follow') -ge 3 ]" ||
    fail "follow printed: $(head -5 "$TEST_DIR/follow") $(cat "$TEST_DIR/follow.err")"
grep -q oops "$TEST_DIR/follow" && fail "--out printed stderr lines"
wait_for 10 "[ \$(wc -l <'$TEST_DIR/json') -ge 3 ]" || fail "json follow printed nothing"
"$PY" - "$TEST_DIR/json" <<'PY' || fail "bad --json lines: $(head -3 "$TEST_DIR/json")"
import json, sys
for l in open(sys.argv[1]).read().splitlines()[:3]:
	o = json.loads(l)
	assert o["app"] == "tick" and o["instance"] == 0, o
	assert o["stream"] == "err" and o["line"].startswith("oops-"), o
	assert isinstance(o["time"], (int, float)) and o["time"] > 1e12, o
PY
exit 0

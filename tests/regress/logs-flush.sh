#!/bin/bash
# `procman flush` empties an app's log files while it runs; it goes on
# writing into them from the start.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: tick
    script: sh
    args: ["-c", "i=0; while :; do echo tick-$i; echo oops >&2; i=$((i+1)); sleep 0.05; done"]
EOF2
out=$PROCMAN_HOME/logs/tick-0-out.log
err=$PROCMAN_HOME/logs/tick-0-err.log
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 "grep -q tick-5 '$out'" || fail "no output"
pm flush tick >/dev/null || fail "flush failed"
# Lines written since may be there already, but none from before.
grep -q '^tick-0$' "$out" && fail "flush left old lines in $out"
[ "$(stat -c %s "$err")" -lt 100 ] || fail "flush left $err with $(stat -c %s "$err") bytes"
first=$(head -n 1 "$out")
wait_for 10 "grep -q tick- '$out'" || fail "nothing written after flush"
# O_APPEND: new lines start at offset 0, not after a hole.
head -c 4 "$out" | grep -q tick || fail "the file starts with $(head -c 16 "$out" | od -c | head -2)"
pm flush >/dev/null || fail "flush of all failed"
exit 0

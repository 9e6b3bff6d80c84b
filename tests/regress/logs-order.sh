#!/bin/bash
# stdout and stderr lines arrive complete and in order, each in its own
# file, and the last line of a run that ends without a newline is
# written too (with one).
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: talk
    script: sh
    args: ["-c", "i=1; while [ $i -le 500 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done; printf 'last-no-newline'"]
    autorestart: false
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 20 '[ "$(jfield talk 0 status)" = stopped ]' || fail "talk did not end"
out=$PROCMAN_HOME/logs/talk-0-out.log
err=$PROCMAN_HOME/logs/talk-0-err.log
# Nothing is left to arrive once the exit is logged: check at once.
seq 1 500 | sed 's/^/out-/' >"$TEST_DIR/want-out"
echo last-no-newline >>"$TEST_DIR/want-out"
seq 1 500 | sed 's/^/err-/' >"$TEST_DIR/want-err"
cmp -s "$out" "$TEST_DIR/want-out" ||
    fail "stdout log differs: $(diff "$TEST_DIR/want-out" "$out" | head -5)"
cmp -s "$err" "$TEST_DIR/want-err" ||
    fail "stderr log differs: $(diff "$TEST_DIR/want-err" "$err" | head -5)"
exit 0

#!/bin/bash
# An app whose two instances each burn a core is not collapsed: its
# summed CPU over the window is far above the 50% threshold.  It is
# reported as busy, and --apply leaves both instances running.
. "$(dirname "$0")/lib.sh"

export PROCMAN_SAMPLE_INTERVAL=200
pm start sh --name burn -i 2 -- -c 'while :; do :; done' >/dev/null ||
    fail "start burn"
p0=$(jpid burn 0)
p1=$(jpid burn 1)

# Bounded: until both instances have 3 samples in the window.
reason() {
	pm optimize --json --window 2s | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
assert not r["actions"], r["actions"]
print([s["reason"] for s in r["skipped"] if s["app"] == "burn"][0])'
}
wait_for 20 'reason >"$TEST_DIR/reason" 2>&1 &&
    ! grep -q "not enough data" "$TEST_DIR/reason"' ||
    fail "no verdict on burn: $(cat "$TEST_DIR/reason")"
grep -q '^busy: 2 instances use' "$TEST_DIR/reason" ||
    fail "burn is not reported busy: $(cat "$TEST_DIR/reason")"

pm optimize --apply --window 2s >"$TEST_DIR/out" || fail "apply failed"
grep -q 'Nothing to optimize' "$TEST_DIR/out" ||
    fail "apply did something: $(cat "$TEST_DIR/out")"
[ "$(jcount online burn)" = 2 ] || fail "burn lost an instance"
[ "$(jpids burn)" = "$p0 $p1" ] || fail "burn's pids changed"
exit 0

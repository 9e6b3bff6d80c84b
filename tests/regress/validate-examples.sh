#!/bin/bash
# Every example ecosystem file (ecosystem/*.yaml, ecosystem/*.json)
# passes `procman validate`, which needs no daemon.
. "$(dirname "$0")/lib.sh"

n=0
for f in "$PROCMAN_SRC"/ecosystem/*.yaml "$PROCMAN_SRC"/ecosystem/*.yml \
    "$PROCMAN_SRC"/ecosystem/*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	pm validate "$f" >"$TEST_DIR/out" 2>&1 ||
	    fail "validate $f: $(cat "$TEST_DIR/out")"
done
[ $n -gt 0 ] || fail "no ecosystem/*.yaml or *.json found"
[ -f "$PROCMAN_SRC/ecosystem/demo.yaml" ] ||
    fail "ecosystem/demo.yaml (used by make demo) is missing"
pm ping >/dev/null 2>&1 && fail "validate started a daemon"
exit 0

#!/bin/bash
# The optimize command line, as cron uses it: usage errors exit 2 before
# the daemon is contacted; --quiet prints nothing when there is nothing
# to do and the actions when there is; the output off a terminal has no
# colour; --json is one valid JSON document.
. "$(dirname "$0")/lib.sh"

for args in "extra" "--window" "--window abc" "--window 0" "--window 2d" \
    "--cpu-threshold 0" "--cpu-threshold -5" "--cpu-threshold x" \
    "--bogus" "--json=1"; do
	# shellcheck disable=SC2086
	pm optimize $args >/dev/null 2>"$TEST_DIR/err"
	rc=$?
	[ "$rc" = 2 ] || fail "optimize $args exited $rc, not 2"
	[ -s "$TEST_DIR/err" ] || fail "optimize $args said nothing"
done
[ -S "$PROCMAN_HOME/procman.sock" ] && fail "a usage error started the daemon"

cd "$TEST_DIR" || fail "cd"
pm start sleep 1003 --name live >/dev/null || fail "start live"
pm optimize --quiet >"$TEST_DIR/out" || fail "quiet with nothing to do"
[ -s "$TEST_DIR/out" ] && fail "--quiet printed: $(cat "$TEST_DIR/out")"
pm optimize --quiet --apply >"$TEST_DIR/out" || fail "quiet apply failed"
[ -s "$TEST_DIR/out" ] && fail "--quiet printed: $(cat "$TEST_DIR/out")"

# A stopped copy of the same command: something to do.
pm start sleep 1003 --name leftover >/dev/null || fail "start leftover"
pm stop leftover >/dev/null || fail "stop leftover"
pm optimize --json --window 5s --cpu-threshold 12.5% >"$TEST_DIR/out.json" ||
    fail "--json failed"
"$PY" - "$TEST_DIR/out.json" <<'PY' || fail "--json: $(cat "$TEST_DIR/out.json")"
import json, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, "not one line"
r = json.loads(text)
for k in ("actions", "skipped", "suggestions", "table"):
	assert k in r, k
assert r["window_ms"] == 5000 and r["cpu_threshold"] == 12.5, r
a, = r["actions"]
assert (a["kind"], a["app"], a["keep"]) == \
    ("dead-leftover", "leftover", "live"), a
PY
pm optimize >"$TEST_DIR/plain" || fail "dry run failed"
grep -q $'\033' "$TEST_DIR/plain" && fail "colour off a terminal"
grep -q '^  delete app leftover: stopped leftover' "$TEST_DIR/plain" ||
    fail "no action line: $(cat "$TEST_DIR/plain")"
grep -q '^total RSS' "$TEST_DIR/plain" || fail "no table: $(cat "$TEST_DIR/plain")"
[ "$(jcount any leftover)" = 1 ] || fail "the dry run deleted leftover"

pm optimize --quiet --apply >"$TEST_DIR/out" || fail "apply failed"
grep -q '^Applied:' "$TEST_DIR/out" || fail "--quiet hid what was done"
[ "$(jcount any leftover)" = 0 ] || fail "leftover is still there"
[ "$(jcount online live)" = 1 ] || fail "live is not online"
exit 0

#!/bin/bash
# Two `optimize --apply` at once (two cron jobs) end in the same state
# as one: the daemon plans and applies each in one step, the second
# sees the first's result, and no process is removed twice.
. "$(dirname "$0")/lib.sh"

export PROCMAN_SAMPLE_INTERVAL=200
cd "$TEST_DIR" || fail "cd"
pm start sleep 1001 --name first >/dev/null || fail "start first"
# Started a second later: "first" has clearly run longest.
wait_for 5 '[ "$(jfield first 0 uptime_ms)" -gt 1100 ]' ||
    fail "first does not age"
pm start sleep 1001 --name second -i 2 >/dev/null || fail "start second"
pm start sleep 1002 --name idle -i 3 >/dev/null || fail "start idle"

# Bounded: until idle has enough samples to be collapsed.
plan() {
	pm optimize --json --window 2s >"$TEST_DIR/plan.json"
}
wait_for 20 'plan && grep -q collapse-instances "$TEST_DIR/plan.json"' ||
    fail "no collapse planned: $(cat "$TEST_DIR/plan.json")"
# What one run would leave: every proc the plan does not remove.
pm jlist >"$TEST_DIR/before.jlist" || fail "jlist"
expected=$("$PY" - "$TEST_DIR/plan.json" "$TEST_DIR/before.jlist" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
procs = json.load(open(sys.argv[2]))
gone = {i for a in plan["actions"] for i in a["ids"]}
print(sorted((p["name"], p["instance"], p["pid"]) for p in procs
    if p["id"] not in gone))
PY
)
[ "$expected" = "[('first', 0, $(jpid first 0)), ('idle', 0, $(jpid idle 0))]" ] ||
    fail "unexpected plan: $expected"

pm optimize --apply --window 2s --json >"$TEST_DIR/a.json" &
pa=$!
pm optimize --apply --window 2s --json >"$TEST_DIR/b.json" &
pb=$!
wait "$pa" || fail "the first run failed"
wait "$pb" || fail "the second run failed"

got=$(jlist_py "str(sorted((p['name'], p['instance'], p['pid']) for p in procs))")
[ "$got" = "$expected" ] || fail "end state $got, expected $expected"
"$PY" - "$TEST_DIR/a.json" "$TEST_DIR/b.json" <<'PY' ||
import json, sys
ids = []
for f in sys.argv[1:]:
	for a in json.load(open(f))["actions"]:
		ids += a["ids"]
assert len(ids) == len(set(ids)) == 4, ids
PY
    fail "the runs overlapped: $(cat "$TEST_DIR/a.json" "$TEST_DIR/b.json")"
exit 0

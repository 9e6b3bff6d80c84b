#!/bin/bash
# The note's scenario (background note 000): one command under three
# names, two of them stopped leftovers, plus an idle app with
# instances: 2 and an `optimize: false` copy of the command.  A dry run
# changes nothing; --apply leaves one process for the command (the same
# pid), instance 0 of the idle app (the same pid, instances now 1), the
# optimize: false app untouched, and before/after totals that match
# jlist.
. "$(dirname "$0")/lib.sh"

# Samples every 200 ms, so that a 2 s window fills in about a second.
export PROCMAN_SAMPLE_INTERVAL=200
cd "$TEST_DIR" || fail "cd"
leaker=$(helper leaker)
write_eco "$TEST_DIR/eco.yaml" <<END
apps:
  - name: proxy-b
    script: $leaker
    args: ["-s", "4", "-g", "0", "-i", "100000"]
  - name: idle
    script: sleep
    args: ["1000"]
    instances: 2
  - name: pinned
    script: $leaker
    args: ["-s", "4", "-g", "0", "-i", "100000"]
    optimize: false
END

pm start "$leaker" --name proxy-a -- -s 4 -g 0 -i 100000 >/dev/null ||
    fail "start proxy-a"
pm start "$TEST_DIR/eco.yaml" >/dev/null || fail "start eco.yaml"
pm start "$leaker" --name proxy-c -- -s 4 -g 0 -i 100000 >/dev/null ||
    fail "start proxy-c"
pm stop proxy-b >/dev/null || fail "stop proxy-b"
pm stop proxy-c >/dev/null || fail "stop proxy-c"

plan() {
	pm optimize --json --window 2s "$@" >"$TEST_DIR/plan.json"
}
# Bounded: until the idle app has 3 samples in the window.
wait_for 20 'plan && grep -q collapse-instances "$TEST_DIR/plan.json"' ||
    fail "no collapse planned: $(cat "$TEST_DIR/plan.json")"

state() {
	jlist_py "sorted((p['name'], p['instance'], p['pid'], p['status']) for p in procs)"
}
before=$(state)
pa=$(jpid proxy-a 0)
i0=$(jpid idle 0)
i1=$(jpid idle 1)
pp=$(jpid pinned 0)

plan || fail "dry run failed"
[ "$(state)" = "$before" ] || fail "a dry run changed something"
"$PY" - "$TEST_DIR/plan.json" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
acts = sorted((a["kind"], a["app"], a["status"]) for a in r["actions"])
want = [("collapse-instances", "idle", "planned"),
    ("dead-leftover", "proxy-b", "planned"),
    ("dead-leftover", "proxy-c", "planned")]
assert acts == want, acts
assert any(s["app"] == "pinned" and s["reason"] == "optimize: false"
    for s in r["skipped"]), r["skipped"]
assert r["apply"] is False
PY
    fail "dry-run plan: $(cat "$TEST_DIR/plan.json")"

pm jlist >"$TEST_DIR/before.jlist" || fail "jlist"
pm optimize --apply --window 2s --json >"$TEST_DIR/apply.json" ||
    fail "optimize --apply failed"
# The command returns once the removed processes are gone.
proc_alive "$i1" && fail "idle instance 1 (pid $i1) still runs"
"$PY" - "$TEST_DIR/apply.json" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
assert r["apply"] is True
assert len(r["actions"]) == 3, r["actions"]
assert all(a["status"] == "applied" for a in r["actions"])
PY
    fail "apply: $(cat "$TEST_DIR/apply.json")"

[ "$(jlist_py "sorted(p['name'] for p in procs)")" = \
    '["idle", "pinned", "proxy-a"]' ] || fail "wrong procs left"
[ "$(jpid proxy-a 0)" = "$pa" ] || fail "proxy-a was restarted"
[ "$(jpid idle 0)" = "$i0" ] || fail "idle instance 0 was restarted"
now=$(jpid pinned 0)
[ "$now" = "$pp" ] || fail "the optimize: false app was touched ($pp -> $now)"
[ "$(jcount online)" = 3 ] || fail "not 3 online"
n=$(pm describe idle --json | "$PY" -c '
import json, sys; print(json.load(sys.stdin)[0]["config"]["instances"])')
[ "$n" = 1 ] || fail "idle still has instances: $n"

# The table agrees with jlist, before and after (RSS within 5%: the two
# were read at different ticks).
pm jlist >"$TEST_DIR/after.jlist" || fail "jlist"
"$PY" - "$TEST_DIR/apply.json" "$TEST_DIR/before.jlist" \
    "$TEST_DIR/after.jlist" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
t = r["table"]
b, a, s = t["before"], t["after"], t["saved"]
for row, path in ((b, sys.argv[2]), (a, sys.argv[3])):
	procs = json.load(open(path))
	assert row["entries"] == len(procs), (row, len(procs))
	assert row["processes"] == sum(1 for p in procs if p["pid"]), row
	mem = sum(p["memory"] for p in procs)
	assert abs(row["memory"] - mem) <= 0.05 * mem, (row, mem)
# proxy-a, idle x 2, pinned run; proxy-b and proxy-c are stopped.
assert (b["processes"], b["entries"]) == (4, 6), b
assert (a["processes"], a["entries"]) == (3, 3), a
assert s["memory"] == b["memory"] - a["memory"], t
assert s["processes"] == 1, s
assert abs(s["percent"] - 100.0 * s["memory"] / b["memory"]) < 0.1, s
print("before %d processes %d bytes, after %d processes %d bytes, "
    "saved %.1f%%" % (b["processes"], b["memory"], a["processes"],
    a["memory"], s["percent"]))
PY
    fail "table: $(cat "$TEST_DIR/apply.json")"
grep -q 'proxy-b: optimize: dead leftover of proxy-a' \
    "$PROCMAN_HOME/procmand.log" || fail "no log line for proxy-b"
grep -q 'idle: optimize: instances 2 -> 1' "$PROCMAN_HOME/procmand.log" ||
    fail "no log line for idle"
exit 0

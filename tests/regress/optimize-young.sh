#!/bin/bash
# An app with two instances that started a moment ago has fewer than 3
# CPU samples: it is reported as "not enough data" and left alone, even
# by --apply.  (The default 1 s sampling: 3 samples take over 3 s.)
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name young -i 2 >/dev/null || fail "start young"
pids=$(jpids young)

pm optimize --apply --json >"$TEST_DIR/out.json" || fail "apply failed"
"$PY" - "$TEST_DIR/out.json" <<'PY' || fail "reply: $(cat "$TEST_DIR/out.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["actions"] == [], r["actions"]
why = [s["reason"] for s in r["skipped"] if s["app"] == "young"]
assert len(why) == 1 and why[0].startswith("not enough data"), why
PY
[ "$(jcount online young)" = 2 ] || fail "young lost an instance"
[ "$(jpids young)" = "$pids" ] || fail "young's pids changed"
exit 0

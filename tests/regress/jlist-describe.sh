#!/bin/bash
# jlist (written as text by the daemon for speed) and describe (built
# with cJSON) agree on every jlist field, even for arguments full of
# quotes, backslashes and control characters.
. "$(dirname "$0")/lib.sh"

pm start sh --name odd -i 2 -- -c 'exec sleep 1000' 'q"uo\te' "$(printf 'tab\there')" \
    'uni-ü' >/dev/null || fail "start failed"
pm start sleep --name plain -- 1000 >/dev/null || fail "start plain failed"
wait_for 10 '[ "$(jcount online)" = 3 ]' || fail "not online"
wait_for 5 '[ "$(jlist_py "min(p[\"uptime_ms\"] for p in procs)")" -gt 2100 ] 2>/dev/null' ||
    fail "uptime does not grow"
pm jlist >"$TEST_DIR/jlist.json" || fail "jlist failed"
pm describe all --json >"$TEST_DIR/describe.json" || fail "describe failed"
"$PY" - "$TEST_DIR/jlist.json" "$TEST_DIR/describe.json" <<'PY' ||
import json, sys
jl = json.load(open(sys.argv[1]))
de = {p["id"]: p for p in json.load(open(sys.argv[2]))}
assert len(jl) == 3, jl
for p in jl:
    d = de[p["id"]]
    for k, v in p.items():
        if k in ("uptime_ms", "cpu", "memory"):
            continue        # measured between the two requests
        assert d[k] == v, (k, v, d[k])
    assert isinstance(p["cpu"], (int, float)), p
    assert p["memory"] > 0, p
odd = [p for p in jl if p["name"] == "odd"][0]
assert odd["args"][2:] == ['q"uo\\te', "tab\there", "uni-\u00fc"], odd["args"]
PY
    fail "jlist and describe disagree"
exit 0

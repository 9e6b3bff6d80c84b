#!/bin/bash
# A truncated state.json does not stop procmand: it says so in
# procmand.log, keeps the file aside, starts with no apps and works.
. "$(dirname "$0")/lib.sh"

mkdir -m 700 "$PROCMAN_HOME" || fail "mkdir"
printf '{"version":1,"pid":1,"next_id":3,"apps":[{"config":{"name":"x","scr' \
    >"$PROCMAN_HOME/state.json"
pm list >"$TEST_DIR/out" 2>&1 || fail "list: $(cat "$TEST_DIR/out")"
daemon_alive || fail "no daemon"
[ "$(jcount any)" = 0 ] || fail "apps from a corrupt state"
grep -q "state.json: not valid JSON" "$PROCMAN_HOME/procmand.log" ||
    fail "the corrupt state was not logged"
[ -s "$PROCMAN_HOME/state.json.corrupt" ] || fail "the bad file was not kept"
pm start sleep 1000 --name s >/dev/null 2>&1 || fail "start after"
wait_for 10 '[ "$(jcount online s)" = 1 ]' || fail "not online"
wait_for 5 'grep -q "\"name\":\"s\"" "$PROCMAN_HOME/state.json"' ||
    fail "state.json not written again"
exit 0

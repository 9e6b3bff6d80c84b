#!/bin/bash
# procman save, then procman kill (which stops everything and leaves the
# next daemon empty), then procman resurrect brings the same apps back
# online with their instance counts; a stopped app stays stopped, and a
# second resurrect starts nothing twice.
. "$(dirname "$0")/lib.sh"

m=$$$RANDOM
pm start sleep "2${m}1" --name one >/dev/null 2>&1 || fail "start one"
pm start sleep "2${m}2" --name two -i 2 >/dev/null 2>&1 || fail "start two"
pm start sleep "2${m}3" --name off >/dev/null 2>&1 || fail "start off"
pm stop off >/dev/null 2>&1 || fail "stop off"
wait_for 10 '[ "$(jcount online)" = 3 ]' || fail "not online"

pm save --force >"$TEST_DIR/out" 2>&1 || fail "save: $(cat "$TEST_DIR/out")"
grep -q "saved 3 apps" "$TEST_DIR/out" || fail "save said: $(cat "$TEST_DIR/out")"
[ -s "$PROCMAN_HOME/dump.json" ] || fail "no dump.json"
pm kill >/dev/null 2>&1 || fail "kill"
wait_for 5 '[ -z "$(our_pids)" ]' || fail "processes left after kill"

# A daemon after procman kill starts empty: kill means stop everything.
[ "$(jcount any)" = 0 ] || fail "apps came back without resurrect"
pm resurrect >"$TEST_DIR/out" 2>&1 || fail "resurrect: $(cat "$TEST_DIR/out")"
grep -q 'app "off" was saved stopped' "$TEST_DIR/out" ||
    fail "resurrect said: $(cat "$TEST_DIR/out")"
wait_for 10 '[ "$(jcount online one)" = 1 ] && [ "$(jcount online two)" = 2 ]' ||
    fail "not back online"
[ "$(jcount any off)" = 0 ] || fail "the stopped app was started"

pm resurrect >"$TEST_DIR/out" 2>&1 || fail "second resurrect: $(cat "$TEST_DIR/out")"
grep -q 'app "two" is already running' "$TEST_DIR/out" ||
    fail "second resurrect said: $(cat "$TEST_DIR/out")"
[ "$(marker_pids "2${m}2" | wc -l)" = 2 ] || fail "two does not run twice"
[ "$(marker_pids "2${m}1" | wc -l)" = 1 ] || fail "one does not run once"

# No apps: save refuses to overwrite the dump unless forced.
pm delete all >/dev/null 2>&1 || fail "delete all"
pm save >"$TEST_DIR/out" 2>&1 && fail "save with no apps succeeded"
grep -q '"one"' "$PROCMAN_HOME/dump.json" || fail "the dump was overwritten"
exit 0

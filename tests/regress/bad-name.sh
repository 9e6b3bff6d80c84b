#!/bin/bash
# A name with "/" or ".." is refused with exit 2, ad hoc and in a file
# (validate and start), and nothing is started.
. "$(dirname "$0")/lib.sh"

for n in a/b ../x .. . "x y"; do
	pm start sleep 1000 --name "$n" >"$TEST_DIR/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "start --name '$n' exited $rc, expected 2"
	[ -s "$TEST_DIR/out" ] || fail "start --name '$n': no message"
done

for n in ../escape a/b ..; do
	write_eco "$TEST_DIR/bad.yaml" <<EOF
apps:
  - name: good
    script: sleep
    args: ["1000"]
  - name: "$n"
    script: sleep
    args: ["1000"]
EOF
	pm validate "$TEST_DIR/bad.yaml" >"$TEST_DIR/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "validate with name '$n' exited $rc, expected 2"
	grep -q 'bad.yaml:[0-9]*:[0-9]*:' "$TEST_DIR/out" ||
	    fail "validate names no file:line:col: $(cat "$TEST_DIR/out")"
	pm start "$TEST_DIR/bad.yaml" >"$TEST_DIR/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "start with name '$n' exited $rc, expected 2"
done

[ "$(jcount any)" = 0 ] || fail "something was started: $(pm jlist)"
[ -z "$(ls "$PROCMAN_HOME/logs" 2>/dev/null)" ] ||
    fail "log files were created: $(ls "$PROCMAN_HOME/logs")"
exit 0

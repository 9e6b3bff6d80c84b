#!/bin/bash
# Each tests/ecosystem/bad-* file fails `procman validate` with exit 2,
# and `start` of it exits 2 and starts nothing.  When a bad-NAME.err
# sits beside it, every line of it appears in the error output (paths
# are compared by base name: the .err files hold "bad-x.yaml:3:5: ...").
. "$(dirname "$0")/lib.sh"

dir=$PROCMAN_SRC/tests/ecosystem
n=0
for f in "$dir"/bad-*.yaml "$dir"/bad-*.yml "$dir"/bad-*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	pm validate "$f" >"$TEST_DIR/out" 2>"$TEST_DIR/err"
	rc=$?
	[ $rc = 2 ] || fail "validate $(basename "$f") exited $rc, expected 2"
	[ -s "$TEST_DIR/err" ] || fail "validate $(basename "$f"): no message"
	err=${f%.*}.err
	if [ -f "$err" ]; then
		"$PY" - "$err" "$TEST_DIR/err" "$dir" <<'PY' ||
import os, sys
want_file, got_file, d = sys.argv[1:4]
def norm(line):
	line = line.rstrip("\n")
	for p in (os.path.realpath(d) + "/", d + "/"):
		line = line.replace(p, "")
	if line.startswith("procman: "):
		line = line[len("procman: "):]
	return line
got = [norm(l) for l in open(got_file)]
missing = [norm(l) for l in open(want_file)
	if l.strip() and norm(l) not in got]
if missing:
	print("expected lines missing from the output:")
	for m in missing:
		print("  " + m)
	print("output was:")
	for g in got:
		print("  " + g)
	sys.exit(1)
PY
		    fail "$(basename "$f"): the messages differ from $(basename "$err")"
	fi
	pm start "$f" >/dev/null 2>&1
	rc=$?
	[ $rc = 2 ] || fail "start $(basename "$f") exited $rc, expected 2"
done
if [ $n -eq 0 ]; then
	echo "no tests/ecosystem/bad-* files yet: nothing to check"
	exit 0
fi
if daemon_alive; then
	[ "$(jcount any)" = 0 ] || fail "a bad file started something"
fi
exit 0

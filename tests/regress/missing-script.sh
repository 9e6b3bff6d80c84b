#!/bin/bash
# A script that does not exist gives exit 1 and a clear one-line message,
# ad hoc and from a file, and nothing is left crash-looping in jlist.
. "$(dirname "$0")/lib.sh"

cd "$TEST_DIR" || exit 1
pm start ./no-such-server --name ghost >out 2>err
rc=$?
[ $rc = 1 ] || fail "ad-hoc start exited $rc, expected 1"
grep -q 'no-such-server' err || fail "message does not name the script: $(cat err)"
[ "$(wc -l <err)" -ge 1 ] || fail "no error message"

pm start no-such-command-xyz >out 2>err
rc=$?
[ $rc = 1 ] || fail "start of an unknown PATH name exited $rc, expected 1"
grep -q 'no-such-command-xyz' err || fail "message: $(cat err)"

write_eco eco.yaml <<EOF
apps:
  - name: ghost2
    script: ./not-here.sh
EOF
pm start eco.yaml >out 2>err
rc=$?
[ $rc = 1 ] || fail "start from a file exited $rc, expected 1"
grep -q 'not-here' err || fail "message does not name the script: $(cat err)"

# Nothing crash-loops: no proc is restarting or piling up restarts.
sleep 1.5
pm jlist >jl || fail "jlist failed"
"$PY" - jl <<'PY' || fail "a missing script left a crash-looping entry"
import json, sys
for p in json.load(open(sys.argv[1])):
	if p["status"] in ("launching", "online", "waiting-restart") or \
	    p["restarts"] > 0:
		print("left behind: %r" % p)
		sys.exit(1)
PY
daemon_alive || fail "the daemon died"
exit 0

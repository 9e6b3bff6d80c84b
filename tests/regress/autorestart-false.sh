#!/bin/bash
# With autorestart: false an app that exits, cleanly or not, is left
# stopped.
. "$(dirname "$0")/lib.sh"

crasher=$(helper crasher) || exit 1
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: once
    script: $crasher
    args: ["0", "300"]
    autorestart: false
  - name: oncefail
    script: $crasher
    args: ["5", "300"]
    autorestart: false
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jfield once 0 status)" = stopped ] &&
    [ "$(jfield oncefail 0 status)" = stopped ]' ||
    fail "not stopped after the apps exited"
sleep 1
for a in once oncefail; do
	[ "$(jfield $a 0 status)" = stopped ] || fail "$a restarted"
	[ "$(jfield $a 0 restarts)" = 0 ] || fail "$a restarts not 0"
	[ "$(jfield $a 0 pid)" = 0 ] || fail "$a pid not 0"
done
exit 0

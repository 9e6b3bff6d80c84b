#!/bin/bash
# A child gets the daemon's environment (PROCMAN_HOME among it), the
# app's env, PROCMAN_ID (its proc id) and PROCMAN_APP (its name).
. "$(dirname "$0")/lib.sh"

D=$TEST_DIR
write_eco "$D/eco.yaml" <<EOF
apps:
  - name: envy
    script: sh
    args: ["-c", "env > $D/env.tmp && mv $D/env.tmp $D/env.out; exec sleep 1000"]
    env:
      GREETING: "hello world"
      PORT: 8080
EOF
pm start "$D/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 "[ -s '$D/env.out' ]" || fail "the app wrote no env"
id=$(jfield envy 0 id) || fail "no id"
grep -qx "PROCMAN_HOME=$PROCMAN_HOME" "$D/env.out" || fail "no PROCMAN_HOME"
grep -qx "PROCMAN_APP=envy" "$D/env.out" || fail "no PROCMAN_APP=envy"
grep -qx "PROCMAN_ID=$id" "$D/env.out" || fail "no PROCMAN_ID=$id"
grep -qx "PROCMAN_INSTANCE=0" "$D/env.out" || fail "no PROCMAN_INSTANCE=0"
grep -qx "GREETING=hello world" "$D/env.out" || fail "no GREETING"
grep -qx "PORT=8080" "$D/env.out" || fail "no PORT=8080"
exit 0

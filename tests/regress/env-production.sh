#!/bin/bash
# `start FILE --env production` merges env_production over env; without
# --env only env applies.
. "$(dirname "$0")/lib.sh"

D=$TEST_DIR
write_eco "$D/eco.yaml" <<EOF
apps:
  - name: conf
    script: sh
    args: ["-c", "echo \"\$A \$B \${C:-unset}\" > $D/env.tmp && mv $D/env.tmp $D/env.out; exec sleep 1000"]
    env:
      A: "1"
      B: dev
    env_production:
      B: prod
      C: "3"
EOF

pm start "$D/eco.yaml" >/dev/null 2>&1 || fail "start without --env"
wait_for 10 "[ -s '$D/env.out' ]" || fail "the app wrote nothing"
[ "$(cat "$D/env.out")" = "1 dev unset" ] ||
    fail "without --env: got '$(cat "$D/env.out")', expected '1 dev unset'"
pm delete all >/dev/null 2>&1 || fail "delete all"
rm -f "$D/env.out"

pm start "$D/eco.yaml" --env production >/dev/null 2>&1 ||
    fail "start --env production"
wait_for 10 "[ -s '$D/env.out' ]" || fail "the app wrote nothing"
[ "$(cat "$D/env.out")" = "1 prod 3" ] ||
    fail "with --env production: got '$(cat "$D/env.out")', expected '1 prod 3'"
exit 0

#!/bin/bash
# cron_restart restarts the app on the minute the expression names.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: nightly
    script: sleep
    args: "1000"
    cron_restart: "* * * * *"
EOF
pm start "$TEST_DIR/eco.yaml" >/dev/null || fail "start failed"
old=$(jpid nightly 0)
# "* * * * *" fires at the next minute boundary: at most 60 s away.
wait_for 65 '[ "$(jfield nightly 0 restarts)" -ge 1 ] 2>/dev/null' ||
    fail "not restarted by cron within 65 s"
wait_for 5 'p=$(jpid nightly 0); [ "$p" -gt 0 ] && [ "$p" != "$old" ]' ||
    fail "no new pid after the cron restart"
[ "$(date +%S | sed 's/^0//')" -lt 30 ] ||
    fail "restart did not come on a minute boundary"
grep -q 'nightly: cron_restart "\* \* \* \* \*": restarting' \
    "$PROCMAN_HOME/procmand.log" || fail "procmand.log has no cron line"
exit 0

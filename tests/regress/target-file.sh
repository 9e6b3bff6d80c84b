#!/bin/bash
# stop, restart and delete accept an ecosystem file as target: they act
# on that file's apps only.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/one.yaml" <<EOF
apps:
  - name: x
    script: sleep
    args: ["1000"]
    instances: 2
  - name: y
    script: sleep
    args: ["1001"]
EOF
write_eco "$TEST_DIR/two.yaml" <<EOF
apps:
  - name: z
    script: sleep
    args: ["1002"]
EOF
pm start "$TEST_DIR/one.yaml" >/dev/null 2>&1 || fail "start one.yaml"
pm start "$TEST_DIR/two.yaml" >/dev/null 2>&1 || fail "start two.yaml"
wait_for 10 '[ "$(jcount online)" = 4 ]' || fail "4 procs not online"
z=$(jpid z 0)

pm stop "$TEST_DIR/one.yaml" >/dev/null 2>&1 || fail "stop by file"
[ "$(jcount stopped x)" = 2 ] && [ "$(jcount stopped y)" = 1 ] ||
    fail "the file's apps are not stopped"
[ "$(jpid z 0)" = "$z" ] || fail "stop one.yaml touched z"

pm restart "$TEST_DIR/one.yaml" >/dev/null 2>&1 || fail "restart by file"
wait_for 5 '[ "$(jcount online)" = 4 ]' || fail "restart by file"
[ "$(jpid z 0)" = "$z" ] || fail "restart one.yaml touched z"

# A relative path works as well as an absolute one.
(cd "$TEST_DIR" && pm delete one.yaml >/dev/null 2>&1) ||
    fail "delete by relative file path"
[ "$(jcount any)" = 1 ] && [ "$(jpid z 0)" = "$z" ] ||
    fail "delete one.yaml: $(jlist_py "[p['name'] for p in procs]")"
exit 0

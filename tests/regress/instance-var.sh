#!/bin/bash
# Each instance gets its number 0..N-1 in instance_var (default
# PROCMAN_INSTANCE, or the name the file chooses).
. "$(dirname "$0")/lib.sh"

D=$TEST_DIR
write_eco "$D/eco.yaml" <<EOF
apps:
  - name: inst
    script: sh
    args: ["-c", "echo \$PROCMAN_INSTANCE > $D/inst.\$PROCMAN_INSTANCE; exec sleep 1000"]
    instances: 3
  - name: custom
    script: sh
    args: ["-c", "echo \$WORKER > $D/worker.\$WORKER; exec sleep 1000"]
    instances: 2
    instance_var: WORKER
EOF

pm start "$D/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online)" = 5 ]' || fail "5 procs not online"
for i in 0 1 2; do
	wait_for 5 "[ -s '$D/inst.$i' ]" || fail "instance $i wrote nothing"
	[ "$(cat "$D/inst.$i")" = "$i" ] ||
	    fail "inst.$i holds $(cat "$D/inst.$i")"
done
[ ! -e "$D/inst.3" ] || fail "a 4th instance ran"
[ ! -e "$D/inst." ] || fail "an instance had an empty PROCMAN_INSTANCE"
for i in 0 1; do
	wait_for 5 "[ -s '$D/worker.$i' ]" || fail "custom $i wrote nothing"
	[ "$(cat "$D/worker.$i")" = "$i" ] || fail "worker.$i is wrong"
done
[ ! -e "$D/worker." ] || fail "instance_var WORKER was not set"
exit 0

#!/bin/bash
# After procmand is SIGKILLed with three apps running (one with two
# instances), the next command brings it back and each app's processes
# exist exactly once: the old ones are gone, the new daemon lists the new
# ones, with the same ids.  Each app has a unique marker argument.
. "$(dirname "$0")/lib.sh"

m=$$$RANDOM
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: a
    script: sleep
    args: ["1${m}1"]
  - name: b
    script: sleep
    args: ["1${m}2"]
    instances: 2
  - name: c
    script: sleep
    args: ["1${m}3"]
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start"
wait_for 10 '[ "$(jcount online)" = 4 ]' || fail "not online"
ids1=$(jlist_py "' '.join(p['name'] + ':' + str(p['id']) for p in procs)")
old=$(our_pids)
d1=$(daemon_pid) || fail "no daemon pid"
kill -KILL "$d1"
wait_for 5 "! proc_alive $d1" || fail "the daemon survived SIGKILL"

pm jlist >"$TEST_DIR/out" 2>&1 || fail "jlist after SIGKILL: $(cat "$TEST_DIR/out")"
d2=$(daemon_pid) || fail "no new daemon"
[ "$d2" != "$d1" ] || fail "the same daemon pid"
wait_for 10 '[ "$(jcount online)" = 4 ]' || fail "not online again"
ids2=$(jlist_py "' '.join(p['name'] + ':' + str(p['id']) for p in procs)")
[ "$ids1" = "$ids2" ] || fail "ids changed: [$ids1] -> [$ids2]"

for p in $old; do
	[ "$p" = "$d1" ] && continue
	proc_alive "$p" && fail "old process $p still runs"
done
for x in "a 1 1" "b 2 2" "c 3 1"; do
	set -- $x
	running=$(marker_pids "1${m}$2" | tr '\n' ' ')
	n=$(echo $running | wc -w)
	[ "$n" = "$3" ] || fail "app $1 runs $n times: $running"
	listed=$(jlist_py "' '.join(sorted((str(p['pid']) for p in procs if p['name'] == '$1'), key=int))")
	[ "${running% }" = "$listed" ] ||
	    fail "app $1: running [${running% }], listed [$listed]"
done
grep -q "recovery:" "$PROCMAN_HOME/procmand.log" || fail "no recovery logged"
exit 0

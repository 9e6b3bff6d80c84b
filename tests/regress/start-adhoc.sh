#!/bin/bash
# `procman start CMD ARGS --name N -i 2` starts one ad-hoc app with two
# instances; options may follow the command's arguments.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name s -i 2 >"$TEST_DIR/out" 2>&1 ||
    fail "start failed: $(cat "$TEST_DIR/out")"
wait_for 10 '[ "$(jcount online s)" = 2 ]' || fail "2 instances not online"
[ "$(jcount any)" = 2 ] || fail "expected exactly 2 procs"
[ "$(jlist_py "sorted(p['instance'] for p in procs)")" = "[0, 1]" ] ||
    fail "instances are not 0 and 1"
[ "$(jfield s 0 args)" = '["1000"]' ] || fail "args: $(jfield s 0 args)"
case $(jfield s 1 exec) in
/*sleep) ;;
*) fail "exec is not an absolute path to sleep: $(jfield s 1 exec)" ;;
esac
for p in $(jpids s); do
	proc_alive "$p" || fail "pid $p not alive"
	cmd=$(tr '\0' ' ' <"/proc/$p/cmdline")
	case $cmd in
	*sleep\ 1000\ ) ;;
	*) fail "pid $p runs \"$cmd\", not sleep 1000" ;;
	esac
done

# An app argument that looks like an option goes after "--".
pm start sleep --name t -- 1000 >/dev/null 2>&1 || fail "start with -- failed"
wait_for 10 '[ "$(jcount online t)" = 1 ]' || fail "t not online"
[ "$(jfield t 0 args)" = '["1000"]' ] || fail "t args: $(jfield t 0 args)"

# Starting the same name again leaves the running app alone.
before=$(jpids s)
pm start sleep 1000 --name s -i 2 >/dev/null 2>&1
[ "$(jpids s)" = "$before" ] || fail "a second start changed the pids"
[ "$(jcount any s)" = 2 ] || fail "a second start added procs"
exit 0

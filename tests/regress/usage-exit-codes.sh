#!/bin/bash
# Usage errors exit 2 with a message on stderr, and never start the
# daemon; --version and help exit 0.
. "$(dirname "$0")/lib.sh"

expect() {
	local want=$1 rc
	shift
	pm "$@" >"$TEST_DIR/out" 2>"$TEST_DIR/err"
	rc=$?
	[ "$rc" = "$want" ] || fail "procman $* exited $rc, expected $want"
	if [ "$want" = 2 ]; then
		[ -s "$TEST_DIR/err" ] || fail "procman $*: nothing on stderr"
		[ "$(wc -l <"$TEST_DIR/err")" -le 5 ] ||
		    fail "procman $*: a long error: $(cat "$TEST_DIR/err")"
	fi
}

expect 2 frobnicate
expect 2 list --no-such-option
expect 2 start
expect 2 stop
expect 2 start sleep 1 -i
expect 2 start sleep 1 -i zero
expect 2 scale
expect 2 scale x notanumber
expect 2 validate
expect 2 --no-such-global
expect 0 --version
grep -q . "$TEST_DIR/out" || fail "--version printed nothing"
expect 0 help
grep -q start "$TEST_DIR/out" || fail "help does not list start"
expect 0 help stop
grep -q stop "$TEST_DIR/out" || fail "help stop says nothing of stop"

# None of this started a daemon.
[ ! -e "$PROCMAN_HOME/procmand.pid" ] || fail "a usage error started the daemon"
pm ping >/dev/null 2>&1 && fail "a daemon runs after usage errors only"
exit 0

#!/bin/bash
# procman monit without a terminal: one clear line and status 1, no
# crash, and no daemon started for nothing.
. "$(dirname "$0")/lib.sh"

pm monit </dev/null >/dev/null 2>"$TEST_DIR/err"
rc=$?
[ "$rc" = 1 ] || fail "monit without a tty exited $rc, not 1"
[ "$(wc -l <"$TEST_DIR/err")" = 1 ] ||
    fail "expected one line on stderr, got: $(cat "$TEST_DIR/err")"
grep -q '^procman: monit needs a terminal' "$TEST_DIR/err" ||
    fail "unclear message: $(cat "$TEST_DIR/err")"
daemon_alive && fail "monit without a tty started procmand"

# A usage error is still a usage error.
pm monit x </dev/null >/dev/null 2>&1
[ $? = 2 ] || fail "monit with an argument is not a usage error"
exit 0

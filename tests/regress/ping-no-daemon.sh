#!/bin/bash
# `procman ping` exits 1 when no daemon runs and does not start one; a
# command that needs the daemon starts it, and ping then exits 0.
. "$(dirname "$0")/lib.sh"

pm ping >/dev/null 2>&1
rc=$?
[ $rc = 1 ] || fail "ping without a daemon exited $rc, expected 1"
pm ping >/dev/null 2>&1
[ $? = 1 ] || fail "the first ping started a daemon"
[ -z "$(our_pids)" ] || fail "processes of ours run: $(our_pids)"

pm jlist >"$TEST_DIR/out" 2>&1 || fail "jlist did not start the daemon"
[ "$(tr -d ' \n' <"$TEST_DIR/out")" = "[]" ] ||
    fail "jlist of a new daemon: $(cat "$TEST_DIR/out")"
pm ping >/dev/null 2>&1 || fail "ping with a daemon did not exit 0"
p=$(daemon_pid) || fail "no procmand.pid"
proc_alive "$p" || fail "procmand.pid names a dead process"
exit 0

#!/bin/bash
# The home is created 0700 and the socket is 0600; a home that others
# may write into is refused.
. "$(dirname "$0")/lib.sh"

[ ! -e "$PROCMAN_HOME" ] || fail "lib.sh should not create the home"
pm jlist >/dev/null 2>&1 || fail "jlist failed"
[ "$(stat -c %a "$PROCMAN_HOME")" = 700 ] ||
    fail "home mode $(stat -c %a "$PROCMAN_HOME"), expected 700"
[ -S "$PROCMAN_HOME/procman.sock" ] || fail "no socket"
[ "$(stat -c %a "$PROCMAN_HOME/procman.sock")" = 600 ] ||
    fail "socket mode $(stat -c %a "$PROCMAN_HOME/procman.sock"), expected 600"
[ "$(stat -c %u "$PROCMAN_HOME/procman.sock")" = "$(id -u)" ] ||
    fail "the socket is not ours"
pm kill >/dev/null 2>&1

# A world-writable home is refused (exit 1), and no daemon starts there.
W=$TEST_DIR/open
mkdir -m 777 "$W" && chmod 777 "$W"
PROCMAN_HOME=$W pm jlist >/dev/null 2>"$TEST_DIR/err"
rc=$?
[ $rc = 1 ] || fail "a world-writable home: exit $rc, expected 1"
grep -q "$W" "$TEST_DIR/err" || fail "the message does not name the home: $(cat "$TEST_DIR/err")"
[ ! -e "$W/procman.sock" ] || fail "a daemon started in a world-writable home"
for p in $(PROCMAN_HOME=$W our_pids); do
	kill -KILL "$p" 2>/dev/null
done
exit 0

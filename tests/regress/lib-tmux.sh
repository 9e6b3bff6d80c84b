# lib-tmux.sh: sourced after lib.sh by the monit scripts, which drive
# `procman monit` in a real terminal.  Gives:
#
#   SOCK                our own tmux server's socket, in TEST_DIR
#   tm ARGS...          run tmux against it (bounded)
#   screen              the pane's text
#   on_screen RE        the pane matches the extended regex RE
#   show_fail MSG       fail, showing the screen first
#
# The tmux server is killed at exit, whatever way the test ends, before
# lib.sh's own cleanup runs.

SOCK=$TEST_DIR/tmux.sock
tm() {
	timeout -k 2 10 tmux -S "$SOCK" -f /dev/null "$@"
}
trap 'rc=$?; tmux -S "$SOCK" kill-server >/dev/null 2>&1; (exit $rc);
    _lib_cleanup' EXIT

screen() {
	tm capture-pane -p 2>/dev/null
}
on_screen() {
	screen | grep -qE -- "$1"
}
show_fail() {
	echo "--- screen" >&2
	screen >&2
	fail "$@"
}

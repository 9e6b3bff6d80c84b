# lib.sh: sourced by every tests/regress/*.sh script (bash).
#
# Needs PROCMAN_BIN (directory of procman and procmand); PROCMAN_HELPERS
# (the built tests/helpers programs) and PROCMAN_SRC (the source tree)
# are used by the scripts that need them.  Gives every test:
#
#   TEST_DIR            a fresh scratch directory (removed at exit)
#   PROCMAN_HOME        $TEST_DIR/home, exported; not created here, so
#                       the tests also see procman create it
#   pm ARGS...          run procman (bounded by a 60 s timeout)
#   fail MSG            report, show the state, exit 1
#   wait_for SECS COND  poll the shell condition COND every 0.1 s
#   jlist_py EXPR       evaluate a python expression over `procs` (the
#                       parsed `pm jlist`) and print the result
#   jfield APP INST FIELD, jcount STATUS [APP], jpid APP INST, jpids APP
#   proc_alive PID      alive and not a zombie, from /proc/PID/stat
#   track_pid PID       kill this pid at exit too
#   our_pids            pids (other than this shell's own ones) whose
#                       environment holds our PROCMAN_HOME
#   marker_pids ARG     those of them with ARG as an argument
#   write_eco FILE      write FILE from stdin (a heredoc)
#   daemon_alive        `pm ping` succeeds (ping never starts a daemon)
#   daemon_pid          the pid in $PROCMAN_HOME/procmand.pid
#
# At exit: `pm kill` (bounded), then SIGKILL by pid: the daemon, every
# tracked pid and every process whose environment holds
# PROCMAN_HOME=<our home> (the daemon passes its environment to every
# child, so this finds our daemon, its children and their children,
# without matching anything by name); then the scratch directory goes.

set -u

: "${PROCMAN_BIN:?PROCMAN_BIN must name the directory of procman}"
PROCMAN_HELPERS=${PROCMAN_HELPERS:-}
PROCMAN_SRC=${PROCMAN_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export PROCMAN_BIN PROCMAN_HELPERS PROCMAN_SRC

# python3 may be a slow wrapper (a pyenv shim costs most of a second per
# call): find the real interpreter once (run.sh passes it down).
if [ -z "${PROCMAN_PYTHON:-}" ] || [ ! -x "$PROCMAN_PYTHON" ]; then
	PROCMAN_PYTHON=$(python3 -c 'import sys; print(sys.executable)' \
	    2>/dev/null) || PROCMAN_PYTHON=python3
fi
export PROCMAN_PYTHON
PY=$PROCMAN_PYTHON

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pm.XXXXXX") || exit 1
PROCMAN_HOME=$TEST_DIR/home
export PROCMAN_HOME
unset PROCMAN_DAEMON
TEST_NAME=$(basename "$0" .sh)
TRACKED_PIDS=()

pm() {
	timeout -k 5 60 "$PROCMAN_BIN/procman" "$@"
}

track_pid() {
	TRACKED_PIDS+=("$1")
}

# proc_alive PID: true when /proc/PID exists and is not a zombie (or
# dead).  Reads the state after the last ')' of /proc/PID/stat, since
# the command name may hold spaces and parentheses; never kill -0.
proc_alive() {
	local stat state
	[ -n "${1:-}" ] && [ "$1" -gt 0 ] 2>/dev/null || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$stat" ] || return 1
	state=${stat##*) }
	state=${state%% *}
	case $state in
	Z | X | x | "") return 1 ;;
	esac
	return 0
}

# our_pids: every live process whose environment holds exactly
# PROCMAN_HOME=$PROCMAN_HOME, except this shell and its ancestors and
# the scanner itself (they carry the variable too).
our_pids() {
	"$PY" - "$PROCMAN_HOME" "$$" <<'PY'
import os, sys
marker = ("PROCMAN_HOME=" + sys.argv[1]).encode()
skip = set()
pid = os.getpid()
while pid > 1:			# the scanner and all its ancestors
	skip.add(pid)
	try:
		with open("/proc/%d/stat" % pid) as f:
			pid = int(f.read().rsplit(")", 1)[1].split()[1])
	except (OSError, ValueError, IndexError):
		break
for d in os.listdir("/proc"):
	if not d.isdigit() or int(d) in skip:
		continue
	try:
		with open("/proc/%s/environ" % d, "rb") as f:
			env = f.read().split(b"\0")
		with open("/proc/%s/stat" % d) as f:
			state = f.read().rsplit(")", 1)[1].split()[0]
	except (OSError, IndexError):
		continue
	if marker in env and state not in ("Z", "X"):
		print(d)
PY
}

# marker_pids ARG: the pids of our_pids whose command line holds ARG as
# one whole argument (a test gives each app a unique one), sorted.
marker_pids() {
	local p
	for p in $(our_pids); do
		tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null |
		    grep -qxF -- "$1" && echo "$p"
	done | sort -n
}

daemon_pid() {
	local p
	p=$(cat "$PROCMAN_HOME/procmand.pid" 2>/dev/null) || return 1
	p=${p%%[!0-9]*}
	[ -n "$p" ] || return 1
	echo "$p"
}

daemon_alive() {
	pm ping >/dev/null 2>&1
}

# fail MSG: say why, show what the daemon knows, exit 1.
fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	if [ -S "$PROCMAN_HOME/procman.sock" ]; then
		echo "--- procman jlist" >&2
		timeout 10 "$PROCMAN_BIN/procman" jlist >&2 2>&1
	fi
	if [ -f "$PROCMAN_HOME/procmand.log" ]; then
		echo "--- procmand.log (tail)" >&2
		tail -n 40 "$PROCMAN_HOME/procmand.log" >&2
	fi
	exit 1
}

# wait_for SECS CONDITION...: evaluate CONDITION (a shell command line,
# e.g. '[ "$(jcount online)" = 2 ]') every 0.1 s until it is true;
# returns 1 after SECS seconds.
wait_for() {
	local secs=$1 deadline now
	shift
	deadline=$(( ${EPOCHREALTIME/./} + secs * 1000000 ))
	while :; do
		if eval "$*"; then
			return 0
		fi
		now=${EPOCHREALTIME/./}
		[ "$now" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# now_ms: wall clock in milliseconds (for coarse durations only).
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $(( t / 1000 ))
}

# jlist_py EXPR: print a python expression over procs = `pm jlist`.
# Strings print raw, everything else as JSON.  Fails when jlist fails.
jlist_py() {
	local out
	out=$(pm jlist 2>/dev/null) || return 1
	printf '%s' "$out" | "$PY" -c '
import json, sys
procs = json.load(sys.stdin)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))
' "$1"
}

# jfield APP INSTANCE FIELD: one field of one proc; exit 1 when absent.
jfield() {
	local out
	out=$(pm jlist 2>/dev/null) || return 1
	printf '%s' "$out" | "$PY" -c '
import json, sys
procs = json.load(sys.stdin)
app, inst, field = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for p in procs:
	if p.get("name") == app and p.get("instance") == inst:
		if field not in p:
			sys.exit(1)
		v = p[field]
		print(v if isinstance(v, str) else json.dumps(v))
		sys.exit(0)
sys.exit(1)
' "$1" "$2" "$3"
}

# jcount STATUS [APP]: how many procs (of APP) have STATUS; "any"
# counts every proc.
jcount() {
	local out
	out=$(pm jlist 2>/dev/null) || { echo -1; return 1; }
	printf '%s' "$out" | "$PY" -c '
import json, sys
procs = json.load(sys.stdin)
st = sys.argv[1]
app = sys.argv[2] if len(sys.argv) > 2 else None
print(sum(1 for p in procs
	if (st == "any" or p.get("status") == st)
	and (app is None or p.get("name") == app)))
' "$@"
}

jpid() {
	jfield "$1" "$2" pid
}

# jpids APP: the pids of APP's procs, by instance, space separated.
jpids() {
	jlist_py "' '.join(str(p['pid']) for p in sorted(procs, key=lambda p: p['instance']) if p['name'] == '$1')"
}

write_eco() {
	cat >"$1"
}

# need_helper NAME: the path of a built helper, or fail.
helper() {
	local h="$PROCMAN_HELPERS/$1"
	[ -x "$h" ] || fail "helper $1 not built in ${PROCMAN_HELPERS:-?}"
	echo "$h"
}

_lib_kill_pid() {
	proc_alive "$1" && kill -KILL "$1" 2>/dev/null
	return 0
}

_lib_cleanup() {
	local rc=$? p i left
	trap - EXIT INT TERM HUP
	if [ -S "$PROCMAN_HOME/procman.sock" ]; then
		timeout -k 2 30 "$PROCMAN_BIN/procman" kill >/dev/null 2>&1
	fi
	p=$(daemon_pid 2>/dev/null) && _lib_kill_pid "$p"
	for p in "${TRACKED_PIDS[@]}"; do
		_lib_kill_pid "$p"
	done
	# Children may still be forking: sweep until nothing of ours is left.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		left=$(our_pids)
		[ -z "$left" ] && break
		for p in $left; do
			_lib_kill_pid "$p"
		done
		sleep 0.1
	done
	# Sanitizer reports of a daemon that keeps its stderr on its log
	# (ASan's log_path is not honoured by UBSan here) fail the test.
	if [ -f "$PROCMAN_HOME/procmand.log" ] && grep -qE \
	    'runtime error:|ERROR: (Address|Leak)Sanitizer' \
	    "$PROCMAN_HOME/procmand.log"; then
		echo "FAIL: $TEST_NAME: sanitizer report in procmand.log:" >&2
		grep -E -A 25 'runtime error:|ERROR: (Address|Leak)Sanitizer' \
		    "$PROCMAN_HOME/procmand.log" | head -60 >&2
		[ "$rc" = 0 ] && rc=1
	fi
	rm -rf "$TEST_DIR"
	exit "$rc"
}

trap _lib_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

#!/bin/sh
# logs.sh: log capture throughput.  One child writes SIZE of 100-byte
# lines to stdout as fast as it can; we time until all of it is in its
# log file, without and with log_date_format, and compare with the
# physical reference measured in the same run: the same child piped
# into `cat > file`.  procmand's CPU time (utime + stime from
# /proc/<pid>/stat) is given per GiB.  Each figure is the better of two
# runs (the machine may be shared).  When pm2 is installed, the same
# child under PM2 (in a PM2_HOME of our own, killed at the end) is
# measured too; it is never installed from here.
#
#	sh tests/bench/logs.sh [--quick] [--size MiB]
#
# Default 1024 MiB; --quick 256 MiB.  Needs bin/ and the built helpers
# (make bench builds both).  Prints a markdown table.

set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
BIN=${PROCMAN_BIN:-$ROOT/bin}
FLOODER=${PROCMAN_HELPERS:-$ROOT/build/default/tests/helpers}/flooder
SIZE_MB=1024
while [ $# -gt 0 ]; do
	case $1 in
	--quick) SIZE_MB=256 ;;
	--size) SIZE_MB=$2; shift ;;
	*) echo "usage: logs.sh [--quick] [--size MiB]" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$FLOODER" ] || { echo "logs.sh: $FLOODER not built (make helpers)" >&2; exit 1; }
LINE=100
LINES=$(( SIZE_MB * 1024 * 1024 / LINE ))
BYTES=$(( LINES * LINE ))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/procman-bench.XXXXXX") || exit 1
export PROCMAN_HOME=$WORK/home
DPID=

cleanup() {
	if [ -S "$PROCMAN_HOME/procman.sock" ]; then
		timeout 30 "$BIN/procman" kill >/dev/null 2>&1
	fi
	if [ -n "$DPID" ] && [ -d "/proc/$DPID" ]; then
		kill -KILL "$DPID" 2>/dev/null
	fi
	if [ -n "${PM2PID:-}" ] && [ -d "/proc/$PM2PID" ]; then
		PM2_HOME=$WORK/pm2 timeout 30 pm2 kill >/dev/null 2>&1
		[ -d "/proc/$PM2PID" ] && kill -KILL "$PM2PID" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
# cpu PID: utime + stime in seconds.
cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{
		sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }

# reference: the child piped into cat; the better of two runs, since
# the first write of a run also pays for a cold page cache.
ref() {
	t0=$(now)
	"$FLOODER" "$LINES" "$LINE" L | cat >"$WORK/cat.out"
	t1=$(now)
	[ "$(fsize "$WORK/cat.out")" -eq "$BYTES" ] ||
	    { echo "cat reference incomplete" >&2; exit 1; }
	rm -f "$WORK/cat.out"
	echo "$t0 $t1" | awk -v b="$BYTES" '{
		printf "%.1f", b / 1048576 / ($2 - $1) }'
}
REF=$(ref)
r=$(ref)
REF=$(echo "$REF $r" | awk '{ print ($2 > $1 ? $2 : $1) }')

# run NAME DATEFMT PREFIXLEN: one procmand run; prints "MiB/s cpu/GiB"
run() {
	name=$1 fmt=$2 plen=$3
	rm -rf "$PROCMAN_HOME"
	{
		echo "apps:"
		echo "  - name: $name"
		echo "    script: $FLOODER"
		echo "    args: [\"$LINES\", \"$LINE\", \"L\"]"
		echo "    autorestart: false"
		echo "    log_max_size: 0"
		[ -n "$fmt" ] && echo "    log_date_format: \"$fmt\""
	} >"$WORK/$name.yaml"
	"$BIN/procman" jlist >/dev/null 2>&1	# starts procmand
	DPID=$(cat "$PROCMAN_HOME/procmand.pid" 2>/dev/null)
	[ -n "$DPID" ] || { echo "no procmand" >&2; return 1; }
	want=$(( BYTES + LINES * plen ))
	file=$PROCMAN_HOME/logs/$name-0-out.log
	c0=$(cpu "$DPID")
	t0=$(now)
	"$BIN/procman" start "$WORK/$name.yaml" >/dev/null || return 1
	while [ "$(fsize "$file")" -lt "$want" ]; do
		sleep 0.02
	done
	t1=$(now)
	c1=$(cpu "$DPID")
	[ "$(fsize "$file")" -eq "$want" ] || echo "warning: $file has $(fsize "$file") bytes, expected $want" >&2
	"$BIN/procman" kill >/dev/null 2>&1
	echo "$t0 $t1 $c0 $c1" | awk -v b="$BYTES" '{
		printf "%.1f %.2f", b / 1048576 / ($2 - $1),
		    ($4 - $3) / (b / 1073741824) }'
}

# best NAME FMT PLEN: the better of two runs, as for the reference
best() {
	a=$(run "$@") || exit 1
	b=$(run "$@") || exit 1
	echo "$a
$b" | sort -n -r | head -n 1
}
r=$(best plain "" 0) || exit 1
PLAIN=${r% *} PLAIN_CPU=${r#* }
# "%Y-%m-%d %H:%M:%S: " is 21 bytes
r=$(best dated "%Y-%m-%d %H:%M:%S" 21) || exit 1
DATED=${r% *} DATED_CPU=${r#* }

# PM2, when installed: the same child, its stdout log file.  PM2_HOME
# is ours, so nothing touches the user's PM2; bounded by PM2_TIMEOUT.
PM2_TIMEOUT=${PM2_TIMEOUT:-300}
pm2_run() {
	export PM2_HOME=$WORK/pm2
	out=$WORK/pm2-out.log
	pm2 ping >/dev/null 2>&1 || return 1
	PM2PID=$(cat "$PM2_HOME/pm2.pid" 2>/dev/null)
	[ -n "$PM2PID" ] || return 1
	c0=$(cpu "$PM2PID")
	t0=$(now)
	pm2 start "$FLOODER" --name flood --no-autorestart -o "$out" \
	    -e "$WORK/pm2-err.log" -- "$LINES" "$LINE" L >/dev/null 2>&1 ||
	    return 1
	deadline=$(( $(date +%s) + PM2_TIMEOUT ))
	while [ "$(fsize "$out")" -lt "$BYTES" ]; do
		[ "$(date +%s)" -lt "$deadline" ] || return 2
		sleep 0.05
	done
	t1=$(now)
	c1=$(cpu "$PM2PID")
	pm2 kill >/dev/null 2>&1
	echo "$t0 $t1 $c0 $c1" | awk -v b="$BYTES" '{
		printf "%.1f %.2f", b / 1048576 / ($2 - $1),
		    ($4 - $3) / (b / 1073741824) }'
}
PM2ROW=
if command -v pm2 >/dev/null 2>&1; then
	r=$(pm2_run)
	case $? in
	0) PM2ROW=$(echo "$r $REF" | awk '{ printf "| pm2 %s (its daemon'"'"'s CPU) | %s | %.2f | %s |", V, $1, $1 / $3, $2 }' V="$(pm2 --version 2>/dev/null | tail -n 1)") ;;
	2) PM2ROW="| pm2 | did not finish in ${PM2_TIMEOUT}s | | |" ;;
	*) PM2ROW="| pm2 | could not be run | | |" ;;
	esac
fi

echo "### log capture: one child, $SIZE_MB MiB of $LINE-byte lines"
echo
echo "| writer | MiB/s | ratio to cat | procmand CPU s/GiB |"
echo "|---|---:|---:|---:|"
printf '| child \\| cat > file (reference) | %s | 1.00 | - |\n' "$REF"
echo "$PLAIN $REF $PLAIN_CPU" | awk '{ printf "| procmand | %s | %.2f | %s |\n", $1, $1 / $2, $3 }'
echo "$DATED $REF $DATED_CPU" | awk '{ printf "| procmand, log_date_format | %s | %.2f | %s |\n", $1, $1 / $2, $3 }'
if [ -n "$PM2ROW" ]; then
	echo "$PM2ROW"
else
	echo
	echo "PM2 is not installed here: not measured (install with npm install -g pm2)."
fi

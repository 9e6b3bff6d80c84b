#!/bin/sh
# logs.sh: log capture throughput.  One child writes SIZE of 100-byte
# lines to stdout as fast as it can; we time until all of it is in its
# log file, without and with log_date_format, and compare with the
# physical reference measured in the same run: the same child piped
# into `cat > file`.  procmand's CPU time (utime + stime from
# /proc/<pid>/stat) is given per GiB.
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

r=$(run plain "" 0) || exit 1
PLAIN=${r% *} PLAIN_CPU=${r#* }
# "%Y-%m-%d %H:%M:%S: " is 21 bytes
r=$(run dated "%Y-%m-%d %H:%M:%S" 21) || exit 1
DATED=${r% *} DATED_CPU=${r#* }

echo "### log capture: one child, $SIZE_MB MiB of $LINE-byte lines"
echo
echo "| writer | MiB/s | ratio to cat | procmand CPU s/GiB |"
echo "|---|---:|---:|---:|"
printf '| child \\| cat > file (reference) | %s | 1.00 | - |\n' "$REF"
echo "$PLAIN $REF $PLAIN_CPU" | awk '{ printf "| procmand | %s | %.2f | %s |\n", $1, $1 / $2, $3 }'
echo "$DATED $REF $DATED_CPU" | awk '{ printf "| procmand, log_date_format | %s | %.2f | %s |\n", $1, $1 / $2, $3 }'
if command -v pm2 >/dev/null 2>&1; then
	echo "| pm2 | (installed but not measured by this script) | | |"
else
	echo
	echo "PM2 is not installed here: not measured (install with npm install -g pm2)."
fi

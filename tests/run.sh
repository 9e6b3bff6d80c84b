#!/bin/sh
# run.sh: run every test, print one line per test and a summary.
#
#	sh tests/run.sh                  every test of every variant
#	PROCMAN_VARIANTS=default sh tests/run.sh
#	TESTS="crash-restart stop-*" sh tests/run.sh
#
# Variants: "default" (bin/, build/default) and "asan" (build/asan/bin,
# build/asan: ASan+UBSan); PROCMAN_VARIANTS picks them (default: both).
# TESTS is a space-separated list of names or shell patterns, matched
# against unit test names (test-proto) and regress script names
# (crash-restart, for tests/regress/crash-restart.sh).
#
# For each variant the unit binaries build/<variant>/tests/test-* and the
# scripts tests/regress/*.sh run two at a time.  Each prints
# "PASS name [variant] (1.2s)" or "FAIL name [variant]" followed by the
# last lines of its log; the logs of failing tests stay in
# build/test-logs/<variant>/<name>.log.  The last line is
# "N passed, N failed"; the exit status is non-zero when any test failed
# or none ran.
#
# Internally, `sh tests/run.sh --one VARIANT KIND PATH` runs one test.

TEST_TIMEOUT=${TEST_TIMEOUT:-120}
JOBS=${JOBS:-2}

cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
LOGROOT=$ROOT/build/test-logs

variant_bin() {
	case $1 in
	default) echo "$ROOT/bin" ;;
	*) echo "$ROOT/build/$1/bin" ;;
	esac
}

# LeakSanitizer needs to ptrace the process it checks (it stops the
# world that way); some containers forbid ptrace, and then every
# sanitized program would die with "LeakSanitizer has encountered a
# fatal error" at exit.  Probe once with a program that leaks on
# purpose: if LSan cannot report the leak, run with detect_leaks=0 (and
# say so).
lsan_works() {
	probe_dir=$ROOT/build/asan
	mkdir -p "$probe_dir" || return 1
	if [ ! -x "$probe_dir/lsan-probe" ]; then
		printf '%s\n' '#include <stdlib.h>' \
		    'void *volatile p;' \
		    'int main(void) { p = malloc(32); p = 0; return 0; }' \
		    >"$probe_dir/lsan-probe.c"
		${CC:-cc} -fsanitize=address -g -o "$probe_dir/lsan-probe" \
		    "$probe_dir/lsan-probe.c" >/dev/null 2>&1 || return 1
	fi
	ASAN_OPTIONS=detect_leaks=1 "$probe_dir/lsan-probe" 2>&1 |
	    grep -q 'detected memory leaks'
}

# Run one test; print its result line (and the tail of its log on
# failure) in one piece under a lock, so parallel tests never mix lines.
run_one() {
	variant=$1 kind=$2 path=$3
	case $kind in
	unit) name=$(basename "$path") ;;
	*) name=$(basename "$path" .sh) ;;
	esac
	logdir=$LOGROOT/$variant
	log=$logdir/$name.log
	tmp=$RUN_TMP/$variant-$name
	mkdir -p "$logdir" "$tmp"
	: >"$log"

	PROCMAN_BIN=$(variant_bin "$variant")
	PROCMAN_HELPERS=$ROOT/build/$variant/tests/helpers
	PROCMAN_SRC=$ROOT
	TMPDIR=$tmp
	export PROCMAN_BIN PROCMAN_HELPERS PROCMAN_SRC TMPDIR
	unset PROCMAN_HOME PROCMAN_DAEMON
	if [ "$variant" = asan ]; then
		# Sanitizer reports also go to files, because the daemon's
		# stderr goes nowhere once it has daemonised.
		ASAN_OPTIONS="detect_leaks=$DETECT_LEAKS:abort_on_error=0:halt_on_error=1:log_path=$tmp/asan"
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$tmp/asan"
		export ASAN_OPTIONS UBSAN_OPTIONS
	fi

	start=$(date +%s.%N)
	case $kind in
	unit) timeout -k 10 "$TEST_TIMEOUT" "$path" >>"$log" 2>&1 </dev/null ;;
	*) timeout -k 10 "$TEST_TIMEOUT" bash "$path" >>"$log" 2>&1 </dev/null ;;
	esac
	rc=$?
	end=$(date +%s.%N)
	[ $rc -eq 124 ] || [ $rc -eq 137 ] &&
	    echo "run.sh: timed out after ${TEST_TIMEOUT}s (status $rc)" >>"$log"

	# A test killed by the timeout had no chance to clean up: kill by
	# pid whatever still runs with a PROCMAN_HOME under its scratch dir.
	sweep "$tmp" >>"$log" 2>&1

	for f in "$tmp"/asan.*; do
		[ -f "$f" ] || continue
		echo "run.sh: sanitizer report $f:" >>"$log"
		cat "$f" >>"$log"
		rc=1
	done
	rm -rf "$tmp"

	secs=$(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }')
	if [ $rc -eq 0 ]; then
		out="PASS $name [$variant] ($secs""s)"
		rm -f "$log"
	else
		out="FAIL $name [$variant] (status $rc, log: build/test-logs/$variant/$name.log)
$(tail -n 30 "$log" | sed 's/^/    /')"
	fi
	echo "$out" >"$log.result.$$"
	flock "$LOGROOT/.lock" sh -c 'cat "$1"; rm -f "$1"' sh "$log.result.$$"
	[ $rc -eq 0 ] && r=PASS || r=FAIL
	flock "$LOGROOT/.lock" sh -c 'echo "$1" >>"$2"' sh "$r" "$RESULTS"
	return 0
}

# sweep DIR: SIGKILL every process whose PROCMAN_HOME lies under DIR.
sweep() {
	"$PROCMAN_PYTHON" - "$1" <<'PY'
import os, signal, sys
prefix = ("PROCMAN_HOME=" + sys.argv[1] + "/").encode()
for _ in range(10):
	found = 0
	for d in os.listdir("/proc"):
		if not d.isdigit() or int(d) == os.getpid():
			continue
		try:
			with open("/proc/%s/environ" % d, "rb") as f:
				env = f.read().split(b"\0")
		except OSError:
			continue
		if any(e.startswith(prefix) for e in env):
			found += 1
			print("run.sh: killing leftover pid %s" % d)
			try:
				os.kill(int(d), signal.SIGKILL)
			except OSError:
				pass
	if not found:
		break
	import time
	time.sleep(0.1)
PY
}

selected() {
	[ -z "${TESTS:-}" ] && return 0
	set -f
	for pat in $TESTS; do
		set +f
		# shellcheck disable=SC2254
		case $1 in $pat) return 0 ;; esac
		set -f
	done
	set +f
	return 1
}

if [ "${1:-}" = --one ]; then
	shift
	run_one "$@"
	exit 0
fi

RUN_TMP=$(mktemp -d /tmp/procman-tests.XXXXXX) || exit 1
# python3 may be a slow wrapper (a pyenv shim costs most of a second per
# call): find the real interpreter once for every test.
PROCMAN_PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PROCMAN_PYTHON" ] || PROCMAN_PYTHON=python3
export PROCMAN_PYTHON
RESULTS=$RUN_TMP/results
: >"$RESULTS"
export RUN_TMP RESULTS LOGROOT TEST_TIMEOUT
trap 'rm -rf "$RUN_TMP"' EXIT
trap 'exit 130' INT TERM

DETECT_LEAKS=1
for variant in ${PROCMAN_VARIANTS:-default asan}; do
	case $variant in
	asan)
		if ! lsan_works; then
			DETECT_LEAKS=0
			echo "note: LeakSanitizer cannot run here (no ptrace?);" \
			    "asan tests run with detect_leaks=0"
		fi
		;;
	esac
done
export DETECT_LEAKS

for variant in ${PROCMAN_VARIANTS:-default asan}; do
	rm -rf "${LOGROOT:?}/$variant"
	mkdir -p "$LOGROOT/$variant"
	bin=$(variant_bin "$variant")
	[ -x "$bin/procman" ] && [ -x "$bin/procmand" ] ||
	    echo "note: $bin/procman or procmand is missing: build first" \
		"(make build-all)"
	list=$RUN_TMP/list.$variant
	: >"$list"
	for t in "build/$variant/tests"/test-*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		selected "$(basename "$t")" && echo "$variant unit $t" >>"$list"
	done
	for t in tests/regress/*.sh; do
		[ -f "$t" ] || continue
		case $(basename "$t") in lib.sh | lib-*.sh) continue ;; esac
		selected "$(basename "$t" .sh)" &&
		    echo "$variant regress $t" >>"$list"
	done
	[ -s "$list" ] &&
	    xargs -r -P "$JOBS" -L 1 sh tests/run.sh --one <"$list"
done

passed=$(grep -c '^PASS' "$RESULTS")
failed=$(grep -c '^FAIL' "$RESULTS")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

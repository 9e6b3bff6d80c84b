#!/bin/sh
# run.sh: every benchmark, one after the other (make bench).
#
#	sh tests/bench/run.sh [--quick]
#
# Each bench script prints its own markdown section; add yours below.
# Options (--quick: smaller runs) are passed to every script.

cd "$(dirname "$0")/../.." || exit 1
status=0
for b in tests/bench/logs.sh; do
	echo
	sh "$b" "$@" || status=1
done
if [ -f tests/bench/monitor.py ]; then
	echo
	python3 tests/bench/monitor.py "$@" || status=1
fi
# procman against PM2 and supervisord (when installed) and the floor.
if [ -f tests/bench/compare.py ]; then
	echo
	python3 tests/bench/compare.py "$@" || status=1
fi
exit $status

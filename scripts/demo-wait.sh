#!/bin/sh
# demo-wait.sh: after `procman start ecosystem/demo.yaml`, wait (at most
# about 10 s) until every proc is online, then show the table.  If they
# do not all come online, show the table and the tail of the logs and
# exit 1.  "Online" must hold for a second with no restart in between,
# so that a crash-looping app seen online between two crashes does not
# count.
#
#	PROCMAN_HOME=... sh scripts/demo-wait.sh bin/procman

pm=${1:?usage: demo-wait.sh PATH-TO-PROCMAN}
home=${PROCMAN_HOME:-$HOME/.procman}

# python3 may be a slow wrapper (a pyenv shim): find the real one once.
py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$py" ] || py=python3

# Prints "online total restarts" from `procman jlist`.
count() {
	"$pm" jlist 2>/dev/null | "$py" -c '
import json, sys
try:
	procs = json.load(sys.stdin)
except ValueError:
	procs = []
print(sum(1 for p in procs if p.get("status") == "online"), len(procs),
    sum(p.get("restarts", 0) for p in procs))
' 2>/dev/null
}

end=$(($(date +%s) + 10))
stable=0
last=-1
while [ "$(date +%s)" -le "$end" ]; do
	set -- $(count)
	if [ "${1:-0}" -gt 0 ] && [ "$1" = "${2:-}" ] && [ "${3:-}" = "$last" ]
	then
		stable=$((stable + 1))
		if [ $stable -ge 10 ]; then
			"$pm" list
			exit 0
		fi
	else
		stable=0
	fi
	last=${3:--1}
	sleep 0.1
done

echo "demo-wait: not every app came online within 10 s (${1:-0} of" \
    "${2:-0} online):" >&2
"$pm" list >&2
for f in "$home"/logs/*.log "$home/procmand.log"; do
	[ -s "$f" ] || continue
	echo "--- $f" >&2
	tail -n 10 "$f" >&2
done
exit 1

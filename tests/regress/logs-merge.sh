#!/bin/bash
# Two instances with merge_logs flood one file at once: every line of
# each arrives whole, in its instance's order, never interleaved with
# the other's mid-line.
. "$(dirname "$0")/lib.sh"

flooder=$(helper flooder)
lines=100000		# each instance: about 10 MiB of 101-byte lines
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: twin
    script: $flooder
    args: ["$lines", "101"]
    instances: 2
    merge_logs: true
    autorestart: false
    log_max_size: 0
EOF2
log=$PROCMAN_HOME/logs/twin-out.log
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 50 "[ \"\$(stat -c %s '$log' 2>/dev/null)\" = $((2 * lines * 101)) ]" ||
    fail "merged log has $(stat -c %s "$log") bytes, expected $((2 * lines * 101))"
[ ! -e "$PROCMAN_HOME/logs/twin-0-out.log" ] ||
    fail "merge_logs still wrote a per-instance file"
"$PY" - "$log" "$lines" <<'PY' || fail "lines lost, torn or interleaved"
import re, sys
pat = re.compile(rb"i([01]) (\d{10}) x{86}\n")
next_ = [0, 0]
switches = 0
last = None
with open(sys.argv[1], "rb") as f:
	for k, line in enumerate(f):
		m = pat.fullmatch(line)
		if not m:
			print("line %d is torn: %r" % (k, line[:120]))
			sys.exit(1)
		i, n = int(m.group(1)), int(m.group(2))
		if n != next_[i]:
			print("instance %d: line %d where %d was due" % (i, n, next_[i]))
			sys.exit(1)
		next_[i] += 1
		switches += last is not None and last != i
		last = i
want = int(sys.argv[2])
if next_ != [want, want]:
	print("got %r lines, expected %d each" % (next_, want))
	sys.exit(1)
print("%d switches between instances" % switches)
PY
exit 0

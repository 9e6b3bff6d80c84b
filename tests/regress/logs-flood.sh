#!/bin/bash
# A child flooding stdout with 100 MiB of numbered lines: every line
# arrives, whole and in order, while `procman jlist` keeps answering in
# under a second.
. "$(dirname "$0")/lib.sh"

flooder=$(helper flooder)
lines=1048576		# 100 MiB of 100-byte lines
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: flood
    script: $flooder
    args: ["$lines", "100", "L"]
    autorestart: false
    log_max_size: 0
EOF2
log=$PROCMAN_HOME/logs/flood-0-out.log
want=$((lines * 100))
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
calls=0
slowest=0
while :; do
	size=$(stat -c %s "$log" 2>/dev/null || echo 0)
	[ "$size" -ge "$want" ] && break
	t0=$(now_ms)
	pm jlist >/dev/null || fail "jlist failed during the flood"
	t=$(( $(now_ms) - t0 ))
	[ "$t" -gt "$slowest" ] && slowest=$t
	calls=$((calls + 1))
	[ "$calls" -lt 3000 ] || fail "the log stopped growing at $size bytes"
done
echo "jlist answered $calls times during the flood, slowest ${slowest} ms"
[ "$slowest" -lt 1000 ] || fail "jlist took ${slowest} ms during the flood"
[ "$(stat -c %s "$log")" -eq "$want" ] ||
    fail "log has $(stat -c %s "$log") bytes, expected $want"
"$PY" - "$log" "$lines" <<'PY' || fail "the log holds lost or torn lines"
import re, sys
pat = re.compile(rb"L (\d{10}) x{86}\n")
n = 0
with open(sys.argv[1], "rb") as f:
	for line in f:
		m = pat.fullmatch(line)
		if not m or int(m.group(1)) != n:
			print("line %d is wrong: %r" % (n, line[:120]))
			sys.exit(1)
		n += 1
if n != int(sys.argv[2]):
	print("%d lines, expected %s" % (n, sys.argv[2]))
	sys.exit(1)
PY
exit 0

#!/bin/bash
# A log past log_max_size is renamed .1 (older ones shifted, the oldest
# beyond log_retain removed), between whole lines; every rotation is in
# procmand.log.
. "$(dirname "$0")/lib.sh"

flooder=$(helper flooder)
lines=20000		# 2,000,000 bytes: about 19 rotations at 100K
write_eco "$TEST_DIR/eco.yaml" <<EOF2
apps:
  - name: rot
    script: $flooder
    args: ["$lines", "100", "L"]
    autorestart: false
    log_max_size: 100K
    log_retain: 3
EOF2
log=$PROCMAN_HOME/logs/rot-0-out.log
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 30 '[ "$(jfield rot 0 status)" = stopped ]' || fail "rot did not end"
for i in 1 2 3; do
	[ -s "$log.$i" ] || fail "$log.$i is missing"
	size=$(stat -c %s "$log.$i")
	[ "$size" -ge 102400 ] || fail "$log.$i rotated early, at $size bytes"
	[ "$size" -le $((102400 + 131072)) ] || fail "$log.$i is $size bytes"
done
[ ! -e "$log.4" ] || fail "$log.4 kept beyond log_retain 3"
# The kept files hold whole lines and, oldest first, the last lines
# of the run with none missing.
"$PY" - "$log" "$lines" <<'PY' || fail "rotated files lost or split lines"
import re, sys
pat = re.compile(rb"L (\d{10}) x{86}\n")
base = sys.argv[1]
nums = []
for name in [base + ".3", base + ".2", base + ".1", base]:
	with open(name, "rb") as f:
		for line in f:
			m = pat.fullmatch(line)
			if not m:
				print("%s: torn line %r" % (name, line[:120]))
				sys.exit(1)
			nums.append(int(m.group(1)))
if nums != list(range(nums[0], int(sys.argv[2]))):
	print("not consecutive up to the last line: %d..%d, %d lines" %
	    (nums[0], nums[-1], len(nums)))
	sys.exit(1)
PY
n=$(grep -c "rotated $log" "$PROCMAN_HOME/procmand.log")
[ "$n" -ge 15 ] || fail "only $n rotations logged in procmand.log"
exit 0

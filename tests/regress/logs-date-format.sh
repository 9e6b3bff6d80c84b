#!/bin/bash
# log_date_format: every line, the unterminated last one included,
# starts with the strftime time it was read.
. "$(dirname "$0")/lib.sh"

write_eco "$TEST_DIR/eco.yaml" <<'EOF2'
apps:
  - name: dated
    script: sh
    args: ["-c", "echo one; echo two; echo err >&2; printf three"]
    autorestart: false
    log_date_format: "%Y-%m-%d %H:%M:%S"
EOF2
pm start "$TEST_DIR/eco.yaml" >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jfield dated 0 status)" = stopped ]' || fail "did not end"
out=$PROCMAN_HOME/logs/dated-0-out.log
"$PY" - "$out" "$PROCMAN_HOME/logs/dated-0-err.log" <<'PY' || fail "bad prefixes: $(cat "$out")"
import re, sys
pre = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: "
out = open(sys.argv[1]).read()
assert re.fullmatch("(%s(one|two|three)\n){3}" % pre, out), out
assert out.splitlines()[2].endswith("three"), out
assert re.fullmatch("%serr\n" % pre, open(sys.argv[2]).read())
PY
exit 0

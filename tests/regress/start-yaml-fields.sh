#!/bin/bash
# Starting an ecosystem file brings its apps online, and every jlist
# object carries every field of the contract with the right type and
# value.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TEST_DIR/app"
cat >"$TEST_DIR/app/tick.py" <<'PY'
import time
while True:
	time.sleep(1)
PY
write_eco "$TEST_DIR/eco.yaml" <<EOF
apps:
  - name: web
    script: sleep
    args: ["1000"]
    instances: 2
    max_memory_restart: 200M
  - name: tick
    script: ./tick.py
    interpreter: python3
    cwd: $TEST_DIR/app
EOF

pm start "$TEST_DIR/eco.yaml" >"$TEST_DIR/out" 2>&1 ||
    fail "start failed: $(cat "$TEST_DIR/out")"
grep -q web "$TEST_DIR/out" || fail "start did not print the table"
wait_for 10 '[ "$(jcount online)" = 3 ]' || fail "3 procs not online"

pm jlist >"$TEST_DIR/jlist" || fail "jlist failed"
"$PY" - "$TEST_DIR" "$TEST_DIR/jlist" <<'PY' || fail "jlist fields"
import json, os, sys, time
tdir = os.path.realpath(sys.argv[1])
procs = json.load(open(sys.argv[2]))
errors = []
def err(m):
	errors.append(m)
def isint(v):
	return isinstance(v, int) and not isinstance(v, bool)
def isnum(v):
	return isinstance(v, (int, float)) and not isinstance(v, bool)
types = {
	"id": isint, "name": lambda v: isinstance(v, str),
	"instance": isint, "pid": isint,
	"status": lambda v: v in ("launching", "online", "stopping",
	    "stopped", "waiting-restart", "errored"),
	"restarts": isint, "uptime_ms": isnum,
	"cpu": lambda v: v is None or isnum(v), "memory": isnum,
	"exec": lambda v: isinstance(v, str),
	"args": lambda v: isinstance(v, list) and
	    all(isinstance(a, str) for a in v),
	"cwd": lambda v: isinstance(v, str),
	"max_memory_restart": isnum, "unstable_restarts": isint,
	"created_at": isnum,
	"interpreter": lambda v: v is None or isinstance(v, str),
}
if len(procs) != 3:
	err("expected 3 procs, got %d" % len(procs))
now = time.time() * 1000
for p in procs:
	for f, ok in types.items():
		if f not in p:
			err("proc %s: no field %r" % (p.get("id"), f))
		elif not ok(p[f]):
			err("proc %s: field %r has bad value %r" %
			    (p.get("id"), f, p[f]))
	if errors:
		continue
	if p["pid"] <= 0 or p["status"] != "online":
		err("proc %s not online with a pid: %r" % (p["id"], p))
	if p["restarts"] != 0 or p["unstable_restarts"] != 0:
		err("proc %s: restarts not 0" % p["id"])
	if not (now - 120000 < p["created_at"] <= now + 5000):
		err("proc %s: created_at %r is not unix ms of now" %
		    (p["id"], p["created_at"]))
	if p["uptime_ms"] < 0 or p["uptime_ms"] > 120000:
		err("proc %s: uptime_ms %r" % (p["id"], p["uptime_ms"]))
	if p["memory"] < 0:
		err("proc %s: memory %r" % (p["id"], p["memory"]))
	if not os.path.isabs(p["exec"]) or not os.path.isabs(p["cwd"]):
		err("proc %s: exec/cwd not absolute: %r %r" %
		    (p["id"], p["exec"], p["cwd"]))
if errors:
	print("\n".join(errors)); sys.exit(1)
web = sorted([p for p in procs if p["name"] == "web"],
    key=lambda p: p["instance"])
tick = [p for p in procs if p["name"] == "tick"]
if [p["instance"] for p in web] != [0, 1]:
	err("web instances: %r" % [p["instance"] for p in web])
if len(set(p["id"] for p in procs)) != 3:
	err("ids not unique")
for p in web:
	if os.path.basename(p["exec"]) != "sleep":
		err("web exec %r" % p["exec"])
	if p["args"] != ["1000"]:
		err("web args %r" % p["args"])
	if p["max_memory_restart"] != 200 * 1024 * 1024:
		err("web max_memory_restart %r" % p["max_memory_restart"])
	if os.path.realpath(p["cwd"]) != tdir:
		err("web cwd %r, expected the file's directory %r" %
		    (p["cwd"], tdir))
	if p["interpreter"] is not None:
		err("web interpreter %r" % p["interpreter"])
if len(tick) != 1:
	err("tick: %d procs" % len(tick))
else:
	t = tick[0]
	if os.path.realpath(t["exec"]) != os.path.join(tdir, "app/tick.py"):
		err("tick exec %r" % t["exec"])
	if os.path.realpath(t["cwd"]) != os.path.join(tdir, "app"):
		err("tick cwd %r" % t["cwd"])
	if not t["interpreter"] or "python3" not in t["interpreter"]:
		err("tick interpreter %r" % t["interpreter"])
	if t["max_memory_restart"] != 0:
		err("tick max_memory_restart %r" % t["max_memory_restart"])
if errors:
	print("\n".join(errors)); sys.exit(1)
PY

# The pids are real and alive.
for p in $(jpids web) $(jpids tick); do
	proc_alive "$p" || fail "pid $p listed online but not alive"
done
exit 0

#!/bin/bash
# Bad messages on the control socket (garbage, truncated JSON, a JSON
# array, a wrong protocol version, no type, an unknown type) each get an
# error reply or a close; the daemon and its apps carry on untouched.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name keep -i 2 >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online keep)" = 2 ]' || fail "not online"
before=$(jpids keep)

"$PY" - "$PROCMAN_HOME/procman.sock" <<'PY' || fail "bad input handling"
import json, socket, sys

path = sys.argv[1]
failed = False

def exchange(payload):
	"""Send payload, return the first reply line (str), or None on close."""
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.settimeout(10)
	s.connect(path)
	s.sendall(payload)
	buf = b""
	try:
		while b"\n" not in buf:
			chunk = s.recv(65536)
			if not chunk:
				break
			buf += chunk
	except (ConnectionResetError, BrokenPipeError):
		pass
	return s, (buf.split(b"\n")[0].decode() if buf else None)

def check(label, payload, must_contain=None, stays_open=False):
	global failed
	s, line = exchange(payload)
	if line is None:
		if must_contain or stays_open:
			print("%s: connection closed without a reply" % label)
			failed = True
		else:
			print("%s: closed (ok)" % label)
		s.close()
		return
	try:
		r = json.loads(line)
	except ValueError:
		print("%s: reply is not JSON: %r" % (label, line))
		failed = True
		s.close()
		return
	print("%s: %s" % (label, line))
	if (not isinstance(r, dict) or r.get("ok") is not False or
	    not isinstance(r.get("error"), str) or not r["error"]):
		print("%s: expected ok false and an error, got %r" % (label, r))
		failed = True
	elif must_contain and not any(m in r["error"].lower()
	    for m in must_contain):
		print("%s: error %r mentions none of %r" % (label, r["error"],
		    must_contain))
		failed = True
	if stays_open:
		# The connection is still usable after an unknown type.
		try:
			s.sendall(b'{"v":1,"id":7,"type":"ping"}\n')
			buf = b""
			while b"\n" not in buf:
				chunk = s.recv(65536)
				if not chunk:
					break
				buf += chunk
			r = json.loads(buf.split(b"\n")[0])
			if r.get("ok") is not True or r.get("id") != 7:
				raise ValueError(r)
		except (OSError, ValueError) as e:
			print("%s: connection unusable afterwards: %r" %
			    (label, e))
			failed = True
	s.close()

check("garbage", b"\x00\xff hello there {{{\n")
check("truncated", b'{"v":1,"id":3,"type":"li\n')
check("array", b'[{"v":1,"id":4,"type":"list"}]\n')
check("number", b'42\n')
check("empty object", b'{}\n')
check("wrong version", b'{"v":2,"id":5,"type":"list"}\n',
    must_contain=["protocol", "version"])
check("string version", b'{"v":"1","id":5,"type":"list"}\n')
check("no type", b'{"v":1,"id":6}\n')
check("unknown type", b'{"v":1,"id":8,"type":"frobnicate"}\n',
    must_contain=["frobnicate", "unknown"], stays_open=True)
check("bad stop target type", b'{"v":1,"id":9,"type":"stop","target":[1]}\n')
check("bad start apps", b'{"v":1,"id":10,"type":"start","apps":[{"name":"../x","script":"/bin/sleep"}]}\n')
# A half line, then the peer goes away.
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b'{"v":1,"id":11,"ty')
s.close()
sys.exit(1 if failed else 0)
PY

daemon_alive || fail "the daemon stopped answering"
pm jlist >/dev/null || fail "jlist failed afterwards"
[ "$(jpids keep)" = "$before" ] || fail "app pids changed: $before -> $(jpids keep)"
[ "$(jcount any)" = 2 ] || fail "procs were added or removed"
exit 0

#!/bin/bash
# A line longer than 1 MiB (no newline) gets an error reply or a close;
# the daemon and its apps carry on.
. "$(dirname "$0")/lib.sh"

pm start sleep 1000 --name keep >/dev/null 2>&1 || fail "start failed"
wait_for 10 '[ "$(jcount online keep)" = 1 ]' || fail "not online"
before=$(jpids keep)

"$PY" - "$PROCMAN_HOME/procman.sock" <<'PY' || fail "oversized line"
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sys.argv[1])
chunk = b'{"v":1,"id":1,"type":"ping","pad":"' + b"x" * 65536
sent = 0
closed = False
try:
	# 1.5 MiB without a newline, then keep going a little: the daemon
	# must give up on us rather than buffer forever.
	while sent < 3 * 1024 * 1024:
		s.sendall(chunk)
		sent += len(chunk)
except (BrokenPipeError, ConnectionResetError):
	closed = True
buf = b""
try:
	while True:
		d = s.recv(65536)
		if not d:
			break
		buf += d
except socket.timeout:
	print("no reply and no close within 20 s after %d bytes" % sent)
	sys.exit(1)
except ConnectionResetError:
	pass
line = buf.split(b"\n")[0]
if line:
	r = json.loads(line)
	print("reply: %r" % r)
	if r.get("ok") is not False or not r.get("error"):
		print("expected an error reply")
		sys.exit(1)
else:
	print("closed after %d bytes (closed while sending: %s)" % (sent, closed))
PY

daemon_alive || fail "the daemon stopped answering"
pm jlist >/dev/null || fail "jlist failed afterwards"
[ "$(jpids keep)" = "$before" ] || fail "app pid changed"
exit 0

#!/bin/bash
# The man pages stay in sync with the code:
#  - every command `procman help` lists is in procman(1) (as "Cm name"),
#    and its usage string is in the rendered page;
#  - every key of the table in lib/ecosystem-keys.c has an ".It Cm key"
#    entry in procman-ecosystem(5) (a prefix key "env_*" as ".It Cm env_");
#  - procmand(8) exists;
#  - mandoc -T lint (or, without mandoc, groff -mandoc -ww -z) accepts
#    all three.
. "$(dirname "$0")/lib.sh"

man=$PROCMAN_SRC/man
for p in procman.1 procman-ecosystem.5 procmand.8; do
	[ -s "$man/$p" ] || fail "man/$p is missing"
done

# --- procman help vs procman.1 -------------------------------------------
pm help >"$TEST_DIR/help" 2>&1 || fail "procman help failed"
# Plain text, no hyphenation, no wrapping, no bold/underline overstrikes.
groff -mandoc -Tascii -P-cbou -rHY=0 -rLL=2000n "$man/procman.1" \
    >"$TEST_DIR/procman.1.txt" 2>/dev/null ||
    fail "groff cannot render man/procman.1"
"$PY" - "$TEST_DIR/help" "$man/procman.1" "$TEST_DIR/procman.1.txt" <<'PY' ||
import re, sys
help_lines = open(sys.argv[1]).read().splitlines()
src = open(sys.argv[2]).read()
text = open(sys.argv[3]).read()

# "  procman NAME USAGE" lines; deeper-indented lines continue the usage.
cmds = []
for line in help_lines:
	m = re.match(r"^(\s+)procman\s+([a-z][a-z0-9-]*)\s*(.*)$", line)
	if m:
		cmds.append([m.group(2), m.group(3), len(m.group(1))])
	elif cmds and line.strip() and \
	    len(line) - len(line.lstrip()) > cmds[-1][2]:
		cmds[-1][1] += " " + line.strip()
	else:
		if cmds and line.strip() == "":
			continue
if len(cmds) < 5:
	print("found only %d commands in `procman help`:" % len(cmds))
	print("\n".join(help_lines))
	sys.exit(1)

squash = lambda s: re.sub(r"\s+", "", s)
flat = squash(text)
bad = 0
for name, usage, _ in cmds:
	if not re.search(r"\bCm\s+(?:\\&)?%s\b" % re.escape(name), src):
		print("procman.1: command %r has no \"Cm %s\" entry" % (name, name))
		bad += 1
	if squash(name + usage) not in flat:
		print("procman.1: the usage of %r is not \"%s %s\"" %
		    (name, name, usage))
		bad += 1
print("%d commands checked" % len(cmds))
sys.exit(1 if bad else 0)
PY
    fail "procman.1 is out of sync with procman help"

# --- key table vs procman-ecosystem.5 -----------------------------------
"$PY" - "$PROCMAN_SRC/lib/ecosystem-keys.c" "$man/procman-ecosystem.5" <<'PY' ||
import re, sys
c = open(sys.argv[1]).read()
m = re.search(r"eco_keys\s*\[\s*\]\s*=\s*\{(.*?)\n\};", c, re.S)
if not m:
	print("no eco_keys[] table in lib/ecosystem-keys.c")
	sys.exit(1)
# Rows start with { "name", ...; the terminating row has NULL.
keys = re.findall(r'^\s*\{\s*(?:\.name\s*=\s*)?"([^"]+)"\s*,', m.group(1),
    re.M)
if len(keys) < 10:
	print("found only %d keys in the table: %r" % (len(keys), keys))
	sys.exit(1)
page = open(sys.argv[2]).read().splitlines()
items = [l for l in page if l.startswith(".It ")]
bad = 0
for k in keys:
	if k.endswith("*"):
		pat = r"^\.It\s+Cm\s+%s" % re.escape(k[:-1])
	else:
		pat = r"^\.It\s+Cm\s+%s(\s|$)" % re.escape(k)
	if not any(re.match(pat, l) for l in items):
		print("procman-ecosystem.5: no \".It Cm %s\" for key %r" % (k, k))
		bad += 1
print("%d keys checked" % len(keys))
sys.exit(1 if bad else 0)
PY
    fail "procman-ecosystem.5 is out of sync with the key table"

# --- lint ------------------------------------------------------------------
for p in procman.1 procman-ecosystem.5 procmand.8; do
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$man/$p" >"$TEST_DIR/lint" 2>&1 ||
		    fail "mandoc -T lint man/$p: $(cat "$TEST_DIR/lint")"
	else
		groff -mandoc -ww -z "$man/$p" >"$TEST_DIR/lint" 2>&1 ||
		    fail "groff -ww man/$p failed: $(cat "$TEST_DIR/lint")"
		[ ! -s "$TEST_DIR/lint" ] ||
		    fail "groff -ww man/$p warns: $(cat "$TEST_DIR/lint")"
	fi
done
exit 0

#!/bin/sh
# deps.sh: install, with apt-get, only the build and test dependencies
# that are missing.  Quiet when everything is there.  Never reads stdin
# (CI has none).  Called by `make deps`, which `make demo` and `make test`
# depend on.

missing=""

need() {
	case " $missing " in
	*" $1 "*) ;;
	*) missing="${missing:+$missing }$1" ;;
	esac
}

have() {
	command -v "$1" >/dev/null 2>&1
}

# A pkg-config module, or (without pkg-config) the library's header.
have_pc() {
	if have pkg-config; then
		pkg-config --exists "$1" 2>/dev/null
	else
		[ -f "/usr/include/$2" ]
	fi
}

# libev ships no pkg-config file: look for the header, then try to
# compile against it in case it lives elsewhere on the include path.
have_libev() {
	[ -f /usr/include/ev.h ] && return 0
	have cc || return 1
	tmp=$(mktemp -d 2>/dev/null) || return 1
	printf '#include <ev.h>\nint main(void) { return ev_version_major() < 0; }\n' \
	    >"$tmp/t.c"
	cc -o "$tmp/t" "$tmp/t.c" -lev >/dev/null 2>&1
	rc=$?
	rm -rf "$tmp"
	return $rc
}

have pkg-config || need pkg-config
have_libev || need libev-dev
have_pc libcjson cjson/cJSON.h || need libcjson-dev
have_pc yaml-0.1 yaml.h || need libyaml-dev
have_pc ncursesw ncursesw/curses.h || need libncurses-dev
have_pc cmocka cmocka.h || need libcmocka-dev
have python3 || need python3
have tmux || need tmux
have ps || need procps
have timeout || need coreutils
have flock || need util-linux
# The man-page test lints with mandoc, or with groff when that is all
# there is (groff-base is usually installed).
have mandoc || have groff || need groff-base

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif have sudo && sudo -n true </dev/null >/dev/null 2>&1; then
	sudo="sudo -n"
else
	echo "deps.sh: missing packages: $missing; install them with:" \
	    "sudo apt-get update && sudo apt-get install -y $missing" >&2
	exit 1
fi

if ! have apt-get; then
	echo "deps.sh: missing packages: $missing, and apt-get is not" \
	    "available: install them with your package manager" >&2
	exit 1
fi

echo "deps.sh: installing $missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$sudo apt-get update -qq </dev/null >/dev/null || {
	echo "deps.sh: apt-get update failed; run it by hand, then:" \
	    "apt-get install -y $missing" >&2
	exit 1
}
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing </dev/null >/dev/null || {
	echo "deps.sh: apt-get install failed; run by hand:" \
	    "apt-get install -y --no-install-recommends $missing" >&2
	exit 1
}
exit 0

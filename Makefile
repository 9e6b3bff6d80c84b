# procman: a process supervisor.  See README.md.
#
#   make            build bin/procman and bin/procmand
#   make demo       install missing deps, build, run the demo ecosystem
#   make test       install missing deps, build, run every test (also
#                   under ASan+UBSan)
#   make check-asan only the sanitizer build and its tests
#   make install    PREFIX=/usr/local DESTDIR=
#
# CFLAGS is yours to override; the project's own flags are in PM_CFLAGS.

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc
CFLAGS	?= -O2 -g
LDFLAGS	?=

PM_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -Wformat=2 -Wshadow \
	    -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
	    -MMD -MP -Ilib
PM_LIBS_LIB	= -lcjson -lyaml
PM_LIBS_DAEMON	= -lev -lcjson -lyaml -lm
PM_LIBS_CLI	= -lcjson -lyaml -lncursesw -lm

# Where objects and binaries go; check-asan builds a second tree.
BUILD	?= build/default
BINDIR	?= bin

# --- lib/ ------------------------------------------------------------
LIB_SRCS  = lib/xmalloc.c
LIB_SRCS += lib/log.c
LIB_SRCS += lib/paths.c
LIB_SRCS += lib/proto.c
LIB_SRCS += lib/util.c
LIB_SRCS += lib/units.c
LIB_SRCS += lib/cron.c
LIB_SRCS += lib/ecosystem.c
LIB_SRCS += lib/ecosystem-keys.c
LIB_SRCS += lib/ecosystem-yaml.c
LIB_SRCS += lib/ecosystem-json.c

# --- daemon/ ---------------------------------------------------------
DAEMON_SRCS  = daemon/procmand.c
DAEMON_SRCS += daemon/control.c
DAEMON_SRCS += daemon/dispatch.c
DAEMON_SRCS += daemon/registry.c
DAEMON_SRCS += daemon/app.c
DAEMON_SRCS += daemon/spawn.c
DAEMON_SRCS += daemon/restart.c
DAEMON_SRCS += daemon/proctree.c
DAEMON_SRCS += daemon/procjson.c
DAEMON_SRCS += daemon/state.c
DAEMON_SRCS += daemon/recover.c
DAEMON_SRCS += daemon/upgrade.c
DAEMON_SRCS += daemon/sdnotify.c
DAEMON_SRCS += daemon/logs.c
DAEMON_SRCS += daemon/logs-dispatch.c
DAEMON_SRCS += daemon/sample.c
DAEMON_SRCS += daemon/cronjob.c
DAEMON_SRCS += daemon/optimize.c
DAEMON_SRCS += daemon/monit.c

# --- cli/ ------------------------------------------------------------
CLI_SRCS  = cli/procman.c
CLI_SRCS += cli/client.c
CLI_SRCS += cli/cmd.c
CLI_SRCS += cli/cmd-delete.c
CLI_SRCS += cli/cmd-describe.c
CLI_SRCS += cli/cmd-flush.c
CLI_SRCS += cli/cmd-help.c
CLI_SRCS += cli/cmd-jlist.c
CLI_SRCS += cli/cmd-kill.c
CLI_SRCS += cli/cmd-list.c
CLI_SRCS += cli/cmd-logs.c
CLI_SRCS += cli/cmd-monit.c
CLI_SRCS += cli/monit-model.c
CLI_SRCS += cli/monit-columns.c
CLI_SRCS += cli/monit-draw.c
CLI_SRCS += cli/cmd-optimize.c
CLI_SRCS += cli/cmd-ping.c
CLI_SRCS += cli/cmd-reload-logs.c
CLI_SRCS += cli/cmd-restart.c
CLI_SRCS += cli/cmd-resurrect.c
CLI_SRCS += cli/cmd-save.c
CLI_SRCS += cli/cmd-scale.c
CLI_SRCS += cli/cmd-start.c
CLI_SRCS += cli/cmd-startup.c
CLI_SRCS += cli/cmd-stop.c
CLI_SRCS += cli/cmd-unstartup.c
CLI_SRCS += cli/cmd-update.c
CLI_SRCS += cli/cmd-validate.c
CLI_SRCS += cli/output.c

# --- tests/ ----------------------------------------------------------
UNIT_TESTS  = test-ecosystem
UNIT_TESTS += test-units
UNIT_TESTS += test-util
UNIT_TESTS += test-proto
UNIT_TESTS += test-restart
UNIT_TESTS += test-cron

# Programs the integration tests run as supervised children.
HELPERS  = tests/helpers/crasher
HELPERS += tests/helpers/ignore-term
HELPERS += tests/helpers/forker
HELPERS += tests/helpers/flooder
HELPERS += tests/helpers/leaker

LIB_OBJS    = $(LIB_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS = $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS    = $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS   = $(UNIT_TESTS:%=$(BUILD)/tests/%)
HELPER_BINS = $(HELPERS:%=$(BUILD)/%)

ALL_CFLAGS = $(PM_CFLAGS) $(CFLAGS)

.PHONY: all deps demo demo-stop test check check-asan unit regress \
	install clean bench

all: $(BINDIR)/procman $(BINDIR)/procmand

$(BINDIR)/procmand: $(DAEMON_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PM_LIBS_DAEMON)

$(BINDIR)/procman: $(CLI_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PM_LIBS_CLI)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# A unit test links the module under test with the rest of lib/ and, for
# the restart policy, the one daemon file it tests.
$(BUILD)/tests/test-restart: $(BUILD)/tests/unit/test-restart.o \
    $(BUILD)/daemon/restart.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lcmocka $(PM_LIBS_LIB) -lm
$(BUILD)/tests/test-%: $(BUILD)/tests/unit/test-%.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lcmocka $(PM_LIBS_LIB) -lm

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

deps:
	@sh scripts/deps.sh

# The demo runs in its own home so that it never touches ~/.procman.
DEMO_HOME ?= $(CURDIR)/.demo-home
demo: deps all
	@PROCMAN_HOME=$(DEMO_HOME) $(BINDIR)/procman start ecosystem/demo.yaml
	@PROCMAN_HOME=$(DEMO_HOME) sh scripts/demo-wait.sh $(BINDIR)/procman
	@echo
	@echo "The demo runs under PROCMAN_HOME=$(DEMO_HOME); try:"
	@echo "  PROCMAN_HOME=$(DEMO_HOME) $(BINDIR)/procman logs"
	@echo "  make demo-stop      # stop every demo app and the daemon"

demo-stop:
	@PROCMAN_HOME=$(DEMO_HOME) $(BINDIR)/procman kill

build-all: all unit-bins helpers

unit-bins: $(UNIT_BINS)
helpers: $(HELPER_BINS)

# make test: the default build, then the sanitizer build, every test of
# both, one summary line at the end.
test: deps
	@$(MAKE) -s build-all
	@$(MAKE) -s build-all BUILD=build/asan BINDIR=build/asan/bin \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@sh tests/run.sh

check: test

check-asan: deps
	@$(MAKE) -s build-all BUILD=build/asan BINDIR=build/asan/bin \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@PROCMAN_VARIANTS=asan sh tests/run.sh

# Programs tests/bench/compare.py runs: the supervised child and the
# physical floors (fork/exec loop, one-round-trip socket client).
BENCH_BINS = $(BUILD)/tests/bench/bench-child \
	     $(BUILD)/tests/bench/floor-spawn $(BUILD)/tests/bench/floor-client

bench: deps all helpers $(BENCH_BINS)
	@sh tests/bench/run.sh

$(BUILD)/tests/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(BINDIR)/procman $(BINDIR)/procmand $(DESTDIR)$(PREFIX)/bin
	install -m 644 man/procman.1 $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 man/procman-ecosystem.5 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 644 man/procmand.8 $(DESTDIR)$(PREFIX)/share/man/man8

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)

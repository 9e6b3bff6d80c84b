#!/usr/bin/env python3
"""compare.py: procman side by side with PM2, supervisord and the
physical floor, in one run.

    python3 tests/bench/compare.py [--quick] [--apps N]
        [--only floor,procman,pm2,supervisord]

Measured for each supervisor that is installed (one that is not is
reported "not installed", never an error), each in its own temporary
home, one after the other on the same child program (bench-child):

  rss-idle     daemon RSS with no app
  rss-100      daemon RSS with 100 idle apps
  start        wall time to start 100 apps until the status command
               reports all running (config written before the clock)
  status       median wall time of the status command, 100 apps
  respawn      crash -> respawn latency: median over SIGKILLs, from the
               kill to the new child's own CLOCK_REALTIME start stamp
  log-*        one child writing 100-byte lines: MiB/s until every byte
               is in the log file, lines lost, daemon CPU seconds
  cpu-idle     daemon CPU seconds over 30 s with 100 idle apps (and,
               in a full run, procman sampling every 30 s as PM2 does)
  mem-restart  from the child crossing max_memory_restart (its own
               stamp) to the supervisor's signal reaching it

and the floor: floor-spawn (a minimal fork/exec/waitpid loop) for RSS,
start, respawn and CPU; floor-client (exec, connect, one ping round trip
to procmand, exit) for status; `child | cat > file` for logs.  See
tests/bench/README.md for the method of each figure.

Everything started is stopped by pid: `procman kill`, `pm2 kill` with
its own PM2_HOME, supervisord by its pidfile, then SIGKILL to every
process whose environment holds this run's tag or homes.  Every wait has
a deadline.
"""
import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PBIN = os.environ.get("PROCMAN_BIN", os.path.join(ROOT, "bin"))
HELPERS = os.environ.get("PROCMAN_HELPERS",
                         os.path.join(ROOT, "build", "default", "tests",
                                      "helpers"))
BENCHBIN = os.environ.get("PROCMAN_BENCH_BIN",
                          os.path.join(ROOT, "build", "default", "tests",
                                       "bench"))
CHILD = os.path.join(BENCHBIN, "bench-child")
FLOOR_SPAWN = os.path.join(BENCHBIN, "floor-spawn")
FLOOR_CLIENT = os.path.join(BENCHBIN, "floor-client")
FLOODER = os.path.join(HELPERS, "flooder")
CLK_TCK = os.sysconf("SC_CLK_TCK")
TAG_VAR = "PROCMAN_BENCH_TAG"

LINE = 100
MEM_LIMIT_MIB = 64


class BenchError(Exception):
    pass


class Deadline(BaseException):
    """The whole run took too long: not caught per supervisor."""


def log(msg):
    print("compare: " + msg, file=sys.stderr, flush=True)


# --- /proc --------------------------------------------------------------

def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError("no VmRSS for %d" % pid)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def pids_with_env(markers):
    """Pids (not ours) whose initial environment holds one of markers."""
    marks = {m.encode() for m in markers}
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if marks.intersection(env):
            found.append(int(d))
    return found


def kill_pids(pids, sig=signal.SIGKILL):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def wait_gone(pids, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


# --- running commands ---------------------------------------------------

def run(argv, env, limit=60, check=True):
    for attempt in range(20):
        try:
            r = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=limit)
            break
        except subprocess.TimeoutExpired:
            raise BenchError("%s: no answer in %d s" % (
                " ".join(argv), limit))
        except OSError as e:
            # bin/ may be relinked under us (EACCES, ETXTBSY): retry.
            if attempt == 19:
                raise BenchError("%s: %s" % (argv[0], e))
            time.sleep(0.5)
    if check and r.returncode != 0:
        raise BenchError("%s: exit %d: %s" % (
            " ".join(argv), r.returncode,
            r.stderr.decode(errors="replace").strip()[-300:]))
    return r


def timed_exec(argv, env, limit=30):
    """Wall seconds of one exec of argv, stdio on /dev/null, from the
    spawn to the reaping (a pidfd, so the wait is exact and bounded)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        t0 = time.perf_counter()
        try:
            pid = os.posix_spawn(argv[0], argv, env, file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 0),
                (os.POSIX_SPAWN_DUP2, devnull, 1),
                (os.POSIX_SPAWN_DUP2, devnull, 2)])
        except OSError as e:
            raise BenchError("%s: %s" % (argv[0], e))
        pfd = os.pidfd_open(pid)
        try:
            p = select.poll()
            p.register(pfd, select.POLLIN)
            if not p.poll(limit * 1000):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise BenchError("%s: no exit in %d s" % (argv[0], limit))
            _, status = os.waitpid(pid, 0)
            t1 = time.perf_counter()
        finally:
            os.close(pfd)
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        # supervisorctl status exits 3 when something is not running
        raise BenchError("%s: exit %d" % (
            " ".join(argv), os.waitstatus_to_exitcode(status)))
    return t1 - t0


def median_exec(argvs, env, runs):
    """Median wall seconds of each argv in argvs, run in turn (a, b, c,
    a, b, c...) so that all of them see the same machine load."""
    for argv in argvs:
        timed_exec(argv, env)		# warm the page cache
    times = [[] for _ in argvs]
    for _ in range(runs):
        for i, argv in enumerate(argvs):
            times[i].append(timed_exec(argv, env))
    return [statistics.median(t) for t in times]


def wait_for(pred, limit, step=0.01, what="condition"):
    deadline = time.monotonic() + limit
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise BenchError("%s not reached in %.0f s" % (what, limit))
        time.sleep(step)


def read_stamps(path):
    """[(kind, pid, ns, sig)] from a bench-child stamp file."""
    out = []
    try:
        with open(path) as f:
            data = f.read()
    except OSError:
        return out
    for line in data.split("\n"):
        w = line.split()
        if len(w) == 3 and w[0] in ("start", "crossed"):
            out.append((w[0], int(w[1]), int(w[2]), 0))
        elif len(w) == 4 and w[0] == "signal":
            out.append((w[0], int(w[1]), int(w[3]), int(w[2])))
    return out


def last_start(path):
    s = [r for r in read_stamps(path) if r[0] == "start"]
    return s[-1] if s else None


# --- the supervisors ----------------------------------------------------

class App:
    """One app as every supervisor gets it."""

    def __init__(self, name, argv, instances=1, autorestart=True,
                 max_mem_mib=0, log_file=None):
        self.name = name
        self.argv = argv
        self.instances = instances
        self.autorestart = autorestart
        self.max_mem_mib = max_mem_mib
        self.log_file = log_file


class Supervisor:
    key = "?"
    title = "?"
    has_mem_restart = True

    def __init__(self, work, tag):
        self.home = os.path.join(work, self.key)
        os.makedirs(self.home, mode=0o700)
        self.env = dict(os.environ)
        self.env[TAG_VAR] = tag
        self.markers = [TAG_VAR + "=" + tag]
        self.dpid = None

    def available(self):
        """None when usable, else why not."""
        return None

    def version(self):
        return ""

    def boot(self):
        raise NotImplementedError

    def prepare(self, app):
        """Write the config; returns what launch() needs."""
        raise NotImplementedError

    def launch(self, prepared):
        raise NotImplementedError

    def running(self, name):
        """Number of the app's processes the status command says run."""
        raise NotImplementedError

    def status_argv(self):
        raise NotImplementedError

    def remove(self, name):
        raise NotImplementedError

    def log_path(self, app):
        return app.log_file

    def shutdown(self):
        raise NotImplementedError

    def sweep(self):
        left = pids_with_env(self.markers)
        if left:
            kill_pids(left)
            wait_gone(left, 5)
        return left


class Procman(Supervisor):
    key = "procman"
    title = "procman"

    def __init__(self, work, tag):
        super().__init__(work, tag)
        self.env["PROCMAN_HOME"] = self.home
        self.markers.append("PROCMAN_HOME=" + self.home)
        self.cli = os.path.join(PBIN, "procman")

    def available(self):
        if not os.access(self.cli, os.X_OK):
            return "not built (make)"
        return None

    def version(self):
        r = run([self.cli, "--version"], self.env, check=False)
        return r.stdout.decode().strip().split("\n")[0]

    def boot(self):
        run([self.cli, "jlist"], self.env)	# starts procmand
        with open(os.path.join(self.home, "procmand.pid")) as f:
            self.dpid = int(f.read())
        return self.dpid

    def prepare(self, app):
        path = os.path.join(self.home, app.name + ".yaml")
        with open(path, "w") as f:
            f.write("apps:\n  - name: %s\n    script: %s\n"
                    "    args: %s\n    instances: %d\n"
                    "    autorestart: %s\n    restart_delay: 0\n"
                    "    min_uptime: 0\n    max_restarts: 1000000\n"
                    "    log_max_size: 0\n" % (
                        app.name, app.argv[0], json.dumps(app.argv[1:]),
                        app.instances, "true" if app.autorestart else "false"))
            if app.max_mem_mib:
                f.write("    max_memory_restart: %dM\n" % app.max_mem_mib)
            if app.log_file:
                f.write("    out_file: %s\n" % app.log_file)
        return path

    def launch(self, prepared):
        run([self.cli, "start", prepared], self.env, limit=120)

    def jlist(self):
        return json.loads(run([self.cli, "jlist"], self.env).stdout)

    def running(self, name):
        return sum(p["name"] == name and p["status"] == "online"
                   for p in self.jlist())

    def status_argv(self):
        return [self.cli, "jlist"]

    def remove(self, name):
        run([self.cli, "delete", name], self.env, limit=60)

    def shutdown(self):
        if self.dpid is None:
            return
        try:
            run([self.cli, "kill"], self.env, limit=60, check=False)
        except BenchError:
            pass		# then by pid
        if not wait_gone([self.dpid], 10):
            kill_pids([self.dpid])
        self.dpid = None


class Procman30(Procman):
    """procmand sampling every 30 s, PM2's memory-check period."""
    key = "procman-30s"

    def __init__(self, work, tag):
        super().__init__(work, tag)
        self.env["PROCMAN_SAMPLE_INTERVAL"] = "30000"


class PM2(Supervisor):
    key = "pm2"
    title = "PM2"

    def __init__(self, work, tag):
        super().__init__(work, tag)
        self.env["PM2_HOME"] = self.home
        self.markers.append("PM2_HOME=" + self.home)
        self.cli = shutil.which("pm2")

    def available(self):
        if self.cli is None:
            return "not installed (npm install -g pm2)"
        return None

    def version(self):
        # `pm2 --version` would start a daemon: read its package.json.
        try:
            pkg = os.path.join(os.path.dirname(os.path.realpath(self.cli)),
                               "..", "package.json")
            with open(pkg) as f:
                return "PM2 " + json.load(f)["version"]
        except (OSError, ValueError, KeyError):
            return "PM2"

    def boot(self):
        run([self.cli, "ping"], self.env, limit=60)
        with open(os.path.join(self.home, "pm2.pid")) as f:
            self.dpid = int(f.read())
        return self.dpid

    def prepare(self, app):
        conf = {
            "name": app.name,
            "script": app.argv[0],
            "args": app.argv[1:],
            "interpreter": "none",
            "exec_mode": "fork",
            "instances": app.instances,
            "autorestart": app.autorestart,
            "restart_delay": 0,
            "min_uptime": 0,
            "max_restarts": 1000000,
        }
        if app.max_mem_mib:
            conf["max_memory_restart"] = "%dM" % app.max_mem_mib
        if app.log_file:
            conf["out_file"] = app.log_file
            conf["error_file"] = app.log_file + ".err"
            conf["merge_logs"] = True
        path = os.path.join(self.home, app.name + ".config.json")
        with open(path, "w") as f:
            json.dump({"apps": [conf]}, f)
        return path

    def launch(self, prepared):
        run([self.cli, "start", prepared], self.env, limit=120)

    def running(self, name):
        procs = json.loads(run([self.cli, "jlist"], self.env).stdout)
        return sum(p["name"] == name and p["pm2_env"]["status"] == "online"
                   for p in procs)

    def status_argv(self):
        return [self.cli, "jlist"]

    def remove(self, name):
        run([self.cli, "delete", name], self.env, limit=60)

    def shutdown(self):
        if self.dpid is None:
            return
        try:
            run([self.cli, "kill"], self.env, limit=60, check=False)
        except BenchError:
            pass		# then by pid
        if not wait_gone([self.dpid], 10):
            kill_pids([self.dpid])
        self.dpid = None


class Supervisord(Supervisor):
    key = "supervisord"
    title = "supervisord"
    has_mem_restart = False

    def __init__(self, work, tag):
        super().__init__(work, tag)
        self.daemon = shutil.which("supervisord")
        self.ctl = shutil.which("supervisorctl")
        self.conf = os.path.join(self.home, "supervisord.conf")
        self.pidfile = os.path.join(self.home, "supervisord.pid")
        self.confd = os.path.join(self.home, "conf.d")

    def available(self):
        if self.daemon is None or self.ctl is None:
            return "not installed (apt-get install supervisor)"
        return None

    def version(self):
        r = run([self.daemon, "--version"], self.env, check=False)
        return "supervisord " + r.stdout.decode().strip()

    def boot(self):
        os.makedirs(self.confd)
        os.makedirs(os.path.join(self.home, "logs"))
        sock = os.path.join(self.home, "supervisor.sock")
        with open(self.conf, "w") as f:
            f.write("""[unix_http_server]
file=%(sock)s
chmod=0700

[supervisord]
logfile=%(home)s/supervisord.log
pidfile=%(pid)s
childlogdir=%(home)s/logs
nodaemon=false

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(sock)s

[include]
files = %(home)s/conf.d/*.conf
""" % {"sock": sock, "home": self.home, "pid": self.pidfile})
        run([self.daemon, "-c", self.conf], self.env, limit=30)
        # It daemonises; it is up once supervisorctl gets an answer.
        wait_for(lambda: run(self.status_argv(), self.env,
                             check=False).returncode in (0, 3) and
                 os.path.exists(self.pidfile), 30, 0.05,
                 "supervisord answering")
        with open(self.pidfile) as f:
            self.dpid = int(f.read())
        return self.dpid

    def prepare(self, app):
        path = os.path.join(self.confd, app.name + ".conf")
        lines = ["[program:%s]" % app.name,
                 "command=%s" % " ".join(app.argv),
                 "numprocs=%d" % app.instances,
                 "process_name=%(program_name)s_%(process_num)03d",
                 "autostart=true",
                 "autorestart=%s" % ("true" if app.autorestart else "false"),
                 "startsecs=0",
                 "startretries=1000000",
                 "stopwaitsecs=5"]
        if app.log_file:
            lines += ["stdout_logfile=%s" % app.log_file,
                      "stdout_logfile_maxbytes=0",
                      "stdout_logfile_backups=0"]
        # Written now, read by `supervisorctl update` in launch().
        with open(path + ".pending", "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def launch(self, prepared):
        os.rename(prepared + ".pending", prepared)
        run([self.ctl, "-c", self.conf, "update"], self.env, limit=120)

    def running(self, name):
        out = run(self.status_argv(), self.env, check=False).stdout.decode()
        n = 0
        for line in out.split("\n"):
            w = line.split()
            if len(w) >= 2 and w[0].startswith(name + ":") and \
                    w[1] == "RUNNING":
                n += 1
        return n

    def status_argv(self):
        return [self.ctl, "-c", self.conf, "status"]

    def remove(self, name):
        os.unlink(os.path.join(self.confd, name + ".conf"))
        run([self.ctl, "-c", self.conf, "update"], self.env, limit=60)

    def shutdown(self):
        if self.dpid is None:
            return
        kill_pids([self.dpid], signal.SIGTERM)
        if not wait_gone([self.dpid], 15):
            kill_pids([self.dpid])
        self.dpid = None


# --- the measurements ---------------------------------------------------

def settle(seconds):
    time.sleep(seconds)


def respawn_latencies(stampfiles, kills, limit):
    """Kill the newest incarnation of each stamp file's child `kills`
    times, taking turns (so that a supervisor and the floor see the same
    load); each latency is the new incarnation's own start stamp minus
    the time read just before kill(2).  Returns one list of seconds per
    stamp file."""
    lat = [[] for _ in stampfiles]
    cur = [wait_for(lambda: last_start(f), limit, what="first start")
           for f in stampfiles]
    for _ in range(kills):
        for i, f in enumerate(stampfiles):
            time.sleep(0.1)		# let the supervisor settle
            old = cur[i][1]
            t_kill = time.time_ns()
            os.kill(old, signal.SIGKILL)
            cur[i] = wait_for(lambda: (lambda s: s if s and s[1] != old
                                       else None)(last_start(f)),
                              limit, 0.001, "respawn")
            lat[i].append((cur[i][2] - t_kill) / 1e9)
    return lat


def log_run(start, path, stamp, lines, limit, dpid, stall=5.0):
    """Start the flood with start(); wait until `path` holds every byte
    (or stops growing for `stall` s).  The clock starts at the child's
    own start stamp, so the CLI that asked for the start is not timed.
    Returns (MiB/s, lines lost, daemon CPU s)."""
    want = lines * LINE
    c0 = cpu_seconds(dpid)
    t0 = time.monotonic()
    start()
    last, last_t = -1, time.monotonic()
    deadline = t0 + limit
    while True:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        now = time.monotonic()
        if size >= want:
            break
        if size != last:
            last, last_t = size, now
        elif now - last_t > stall or now > deadline:
            break
        time.sleep(0.005)
    t1 = time.time_ns()
    c1 = cpu_seconds(dpid)
    with open(path, "rb") as f:
        got = f.read().count(b"\n") if size else 0
    first = last_start(stamp)
    if first is None:
        raise BenchError("the log child never started")
    return (min(size, want) / 1048576 / ((t1 - first[2]) / 1e9),
            max(0, lines - got), c1 - c0)


def measure_supervisor(sup, o, res, floor):
    log("%s: boot" % sup.key)
    dpid = sup.boot()
    settle(2)
    res["rss-idle"] = rss_kib(dpid) / 1024

    log("%s: start %d apps" % (sup.key, o.apps))
    idle = sup.prepare(App("idle", [CHILD, "idle"], o.apps))
    t0 = time.monotonic()
    sup.launch(idle)
    wait_for(lambda: sup.running("idle") >= o.apps, 180, 0.02,
             "%d apps running" % o.apps)
    res["start"] = time.monotonic() - t0
    # The final sweep finds what we started by its environment: check
    # that it would find these children.
    found = len(pids_with_env(sup.markers))
    if found < o.apps:
        log("warning: %s: only %d of the %d children carry the run's tag"
            % (sup.key, found, o.apps))
    settle(3)
    res["rss-100"] = rss_kib(dpid) / 1024

    log("%s: status x%d" % (sup.key, o.status_runs))
    if sup.key == "procman":
        # The floor runs interleaved with jlist, against the same daemon.
        sock = os.path.join(sup.home, "procman.sock")
        res["status"], res["floor-status"], res["floor-status-list"] = \
            median_exec([sup.status_argv(), [FLOOR_CLIENT, sock],
                         [FLOOR_CLIENT, sock, "list"]], sup.env,
                        o.status_runs)
    else:
        res["status"], = median_exec([sup.status_argv()], sup.env,
                                     o.status_runs)

    log("%s: idle CPU over %d s" % (sup.key, o.window))
    settle(1)
    c0, t0 = cpu_seconds(dpid), time.monotonic()
    time.sleep(o.window)
    c1, t1 = cpu_seconds(dpid), time.monotonic()
    res["cpu-idle"] = (c1 - c0) * 30 / (t1 - t0)
    sup.remove("idle")

    log("%s: respawn x%d" % (sup.key, o.kills))
    stamp = os.path.join(sup.home, "respawn.stamps")
    sup.launch(sup.prepare(App("resp", [CHILD, "stamp", stamp])))
    if sup.key == "procman" and floor is not None:
        # The floor's kills take turns with procman's.
        fstamp = os.path.join(o.work, "floor-respawn.stamps")
        fp = floor_spawn(1, [CHILD, "stamp", fstamp], sup.env)
        try:
            floor_ready(fp, 10)
            a, b = respawn_latencies([stamp, fstamp], o.kills, 10)
        finally:
            floor_stop(fp)
        res["respawn"] = statistics.median(a)
        floor["respawn"] = statistics.median(b)
    else:
        res["respawn"] = statistics.median(
            respawn_latencies([stamp], o.kills, 10)[0])
    sup.remove("resp")

    log("%s: logs, %d MiB" % (sup.key, o.log_mib))
    lines = o.log_mib * 1048576 // LINE
    stamp = os.path.join(sup.home, "flood.stamps")
    app = App("flood", [CHILD, "exec", stamp, FLOODER, str(lines),
                        str(LINE), "L"],
              autorestart=False,
              log_file=os.path.join(sup.home, "flood.log"))
    prep = sup.prepare(app)
    mibs, lost, cpu = log_run(lambda: sup.launch(prep), sup.log_path(app),
                              stamp, lines, o.log_limit, dpid)
    res["log-mibs"], res["log-lost"], res["log-cpu"] = mibs, lost, cpu
    sup.remove("flood")
    try:
        os.unlink(sup.log_path(app))
    except OSError:
        pass

    if sup.has_mem_restart:
        log("%s: memory restart (up to %d s)" % (sup.key, o.mem_limit))
        stamp = os.path.join(sup.home, "mem.stamps")
        sup.launch(sup.prepare(App(
            "mem", [CHILD, "mem", stamp, str(MEM_LIMIT_MIB)],
            max_mem_mib=MEM_LIMIT_MIB)))
        crossed = wait_for(lambda: [r for r in read_stamps(stamp)
                                    if r[0] == "crossed"], 30, 0.01,
                           "memory crossing")[0]

        def ended():
            for r in read_stamps(stamp):
                if r[0] == "signal" and r[1] == crossed[1]:
                    return r
            if not alive(crossed[1]):		# SIGKILLed, no stamp
                return ("gone", crossed[1], time.time_ns(), 9)
            return None
        try:
            end = wait_for(ended, o.mem_limit, 0.005, "memory restart")
            res["mem-restart"] = (end[2] - crossed[2]) / 1e9
        except BenchError:
            res["mem-restart"] = "> %d s" % o.mem_limit
        sup.remove("mem")

    sup.shutdown()


def measure_idle_cpu_30s(o, tag, res):
    """procman's idle CPU at PM2's sampling period: a second procmand
    with PROCMAN_SAMPLE_INTERVAL=30000 and the same 100 idle apps."""
    sup = Procman30(o.work, tag)
    try:
        log("procman: idle CPU over %d s, sampling every 30 s" % o.window)
        dpid = sup.boot()
        sup.launch(sup.prepare(App("idle", [CHILD, "idle"], o.apps)))
        wait_for(lambda: sup.running("idle") >= o.apps, 180, 0.02,
                 "%d apps running" % o.apps)
        settle(3)
        c0, t0 = cpu_seconds(dpid), time.monotonic()
        time.sleep(o.window)
        c1, t1 = cpu_seconds(dpid), time.monotonic()
        res["cpu-idle-30s"] = (c1 - c0) * 30 / (t1 - t0)
    finally:
        sup.shutdown()
        sup.sweep()


def floor_spawn(n, argv, env):
    return subprocess.Popen([FLOOR_SPAWN, str(n)] + argv, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)


def floor_stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(5)
    p.stdout.close()


def floor_ready(p, limit):
    r, _, _ = select.select([p.stdout], [], [], limit)
    if not r or not p.stdout.readline().startswith(b"ready"):
        raise BenchError("floor-spawn not ready in %d s" % limit)


def measure_floor(o, res, respawn):
    env = dict(os.environ)
    env[TAG_VAR] = o.work
    spawn = lambda n, argv: floor_spawn(n, argv, env)
    stop, ready = floor_stop, floor_ready

    log("floor: fork/exec loop")
    p = spawn(0, [CHILD, "idle"])
    try:
        ready(p, 10)
        settle(1)
        res["rss-idle"] = rss_kib(p.pid) / 1024
    finally:
        stop(p)

    t0 = time.monotonic()
    p = spawn(o.apps, [CHILD, "idle"])
    try:
        ready(p, 60)
        res["start"] = time.monotonic() - t0
        settle(1)
        res["rss-100"] = rss_kib(p.pid) / 1024
        w = min(o.window, 5)
        c0, t0 = cpu_seconds(p.pid), time.monotonic()
        time.sleep(w)
        res["cpu-idle"] = (cpu_seconds(p.pid) - c0) * 30 / (
            time.monotonic() - t0)
    finally:
        stop(p)

    if respawn:	# else measured taking turns with procman's kills
        stamp = os.path.join(o.work, "floor-respawn-alone.stamps")
        p = spawn(1, [CHILD, "stamp", stamp])
        try:
            ready(p, 10)
            res["respawn"] = statistics.median(
                respawn_latencies([stamp], o.kills, 10)[0])
        finally:
            stop(p)

    log("floor: child | cat > file, %d MiB" % o.log_mib)
    lines = o.log_mib * 1048576 // LINE
    out = os.path.join(o.work, "cat.out")
    best = None
    stamp = os.path.join(o.work, "cat.stamps")
    for _ in range(2):	# the better of two: the first pays a cold cache
        with open(out, "wb") as f:
            a = subprocess.Popen([CHILD, "exec", stamp, FLOODER, str(lines),
                                  str(LINE), "L"],
                                 stdout=subprocess.PIPE, env=env)
            b = subprocess.Popen(["cat"], stdin=a.stdout, stdout=f, env=env)
            a.stdout.close()
            deadline = time.monotonic() + o.log_limit
            ru = None
            while ru is None:
                pid, status, r = os.wait4(b.pid, os.WNOHANG)
                if pid:
                    ru = r
                elif time.monotonic() > deadline:
                    a.kill()
                    b.kill()
                    raise BenchError("cat floor: no end in %d s"
                                     % o.log_limit)
                else:
                    time.sleep(0.002)
            t1 = time.time_ns()
            b.returncode = 0
            a.wait(10)
        size = os.path.getsize(out)
        with open(out, "rb") as f:
            got = f.read().count(b"\n")
        t0 = last_start(stamp)[2]
        run_ = (size / 1048576 / ((t1 - t0) / 1e9), max(0, lines - got),
                ru.ru_utime + ru.ru_stime)
        if best is None or run_[0] > best[0]:
            best = run_
        os.unlink(out)
    res["log-mibs"], res["log-lost"], res["log-cpu"] = best


# --- the table ----------------------------------------------------------

ROWS = [
    # key, label, unit, format, lower is better
    ("rss-idle", "daemon RSS, idle", "MiB", "%.1f", True),
    ("rss-100", "daemon RSS, 100 idle apps", "MiB", "%.1f", True),
    ("start", "start 100 apps until all reported running", "ms",
     "%.0f", True),
    ("status", "status command, 100 apps, median", "ms", "%.1f", True),
    ("respawn", "crash -> respawn, median", "ms", "%.2f", True),
    ("log-mibs", "log throughput", "MiB/s", "%.0f", False),
    ("log-lost", "log lines lost", "", "%d", True),
    ("log-cpu", "log: daemon CPU", "s", "%.2f", True),
    ("cpu-idle", "daemon CPU per 30 s, 100 idle apps", "s", "%.3f", True),
    ("cpu-idle-30s", "the same, procman sampling every 30 s as PM2 does",
     "s", "%.3f", True),
    ("mem-restart", "memory restart: crossing -> signal", "ms", "%.0f",
     True),
]
SCALE = {"start": 1000, "status": 1000, "respawn": 1000,
         "mem-restart": 1000}


def cell(res, key, fmt):
    if res is None:
        return None
    if isinstance(res, str):
        return res
    v = res.get(key)
    if v is None:
        return None
    if isinstance(v, str):
        return v
    return fmt % (v * SCALE.get(key.replace("floor-", ""), 1))


def ratio(a, b):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return "-"
    if b == 0:
        return "-" if a != 0 else "1.00"
    r = a / b
    return "%.2f" % r if r < 100 else "%.0f" % r


def table(o, results):
    cols = [k for k in ("procman", "pm2", "supervisord")]
    titles = {"procman": "procman", "pm2": "PM2",
              "supervisord": "supervisord"}
    out = ["| figure | " + " | ".join(titles[c] for c in cols) +
           " | floor | procman/PM2 | procman/floor |",
           "|---|" + "---:|" * (len(cols) + 3)]
    pm = results.get("procman")
    pm = pm if isinstance(pm, dict) else {}
    p2 = results.get("pm2")
    p2 = p2 if isinstance(p2, dict) else {}
    fl = results.get("floor")
    fl = fl if isinstance(fl, dict) else {}
    for key, label, unit, fmt, _ in ROWS:
        cells = []
        for c in cols:
            r = results.get(c)
            v = cell(r, key, fmt)
            if v is None:
                v = "n/a" if isinstance(r, dict) else "-"
            cells.append(v)
        fkey = "floor-status" if key == "status" else key
        fsrc = pm if key == "status" else fl
        fv = cell(fsrc, fkey, fmt)
        if key == "mem-restart":
            fv = "-"
        if key == "log-lost":	# counts, not speeds: no ratio
            out.append("| %s | %s | %s | - | - |" % (
                label, " | ".join(cells), fv if fv is not None else "-"))
            continue
        label = label.replace("100", str(o.apps))
        out.append("| %s%s | %s | %s | %s | %s |" % (
            label, " (%s)" % unit if unit else "", " | ".join(cells),
            fv if fv is not None else "-",
            ratio(pm.get(key), p2.get(key)),
            ratio(pm.get(key), fsrc.get(fkey)) if key != "mem-restart"
            else "-"))
    return "\n".join(out)


# --- main ---------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="a ~2 minute run: shorter windows, fewer kills, "
                         "64 MiB of logs")
    ap.add_argument("--only", default="floor,procman,pm2,supervisord")
    ap.add_argument("--apps", type=int, default=100)
    o = ap.parse_args()
    o.status_runs = 20
    o.kills = 10 if o.quick else 20
    o.window = 5 if o.quick else 30
    o.log_mib = 64 if o.quick else 256
    o.log_limit = 60 if o.quick else 180
    o.mem_limit = 40
    only = o.only.split(",")

    for b in (CHILD, FLOOR_SPAWN, FLOOR_CLIENT, FLOODER):
        if not os.access(b, os.X_OK):
            log("%s not built: run make bench" % b)
            return 1

    o.work = tempfile.mkdtemp(prefix="procman-compare-")
    tag = o.work
    sups = {"procman": Procman, "pm2": PM2, "supervisord": Supervisord}
    results, versions, errors = {}, {}, []
    live = []

    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    # The whole run is bounded too: quick ~2.5 min, full ~5 min.
    def on_alarm(sig, frame):
        raise Deadline()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(600 if o.quick else 1500)
    t_start = time.monotonic()
    load = os.getloadavg()
    nproc_host = sum(d.isdigit() for d in os.listdir("/proc"))
    try:
        if "floor" in only:
            results["floor"] = {}
            try:
                measure_floor(o, results["floor"],
                              respawn="procman" not in only)
            except BenchError as e:
                errors.append("floor: %s" % e)
        for key in ("procman", "pm2", "supervisord"):
            if key not in only:
                results[key] = "not run"
                continue
            sup = sups[key](o.work, tag)
            why = sup.available()
            if why is not None:
                results[key] = why.split(" (")[0]
                versions[key] = why
                continue
            versions[key] = sup.version()
            results[key] = {}
            live.append(sup)
            try:
                measure_supervisor(sup, o, results[key],
                                   results.get("floor"))
                if key == "procman" and not o.quick:
                    measure_idle_cpu_30s(o, tag, results[key])
                elif key == "procman":
                    results[key]["cpu-idle-30s"] = "full run only"
                if key == "pm2":
                    results[key]["cpu-idle-30s"] = \
                        results[key].get("cpu-idle")
            except BenchError as e:
                errors.append("%s: %s" % (key, e))
            except OSError as e:
                errors.append("%s: %s" % (key, e))
            finally:
                try:
                    sup.shutdown()
                except (BenchError, OSError) as e:
                    errors.append("%s: stopping: %s" % (key, e))
                left = sup.sweep()
                if left:
                    log("%s: killed %d leftover processes" % (
                        key, len(left)))
    except KeyboardInterrupt:
        errors.append("interrupted")
    except Deadline:
        errors.append("the whole run took too long: cut off")
    finally:
        signal.alarm(0)
        for sup in live:
            try:
                sup.shutdown()
            except Exception:
                pass
            sup.sweep()
        left = pids_with_env([TAG_VAR + "=" + tag])
        kill_pids(left)
        shutil.rmtree(o.work, ignore_errors=True)

    print("### procman, PM2, supervisord and the physical floor "
          "(%s run, %.0f s)" % ("quick" if o.quick else "full",
                                time.monotonic() - t_start))
    print()
    print(table(o, results))
    print()
    print("Versions: " + "; ".join(
        "%s: %s" % (k, v) for k, v in versions.items()) + ".  Load "
          "average at start %.2f, %d CPUs, %d processes on the host "
          "(procman's sampling pass reads every one)." % (
              load[0], os.cpu_count(), nproc_host))
    print("%d apps of `bench-child idle`; status median of %d runs; "
          "respawn median of %d SIGKILLs; logs %d MiB of %d-byte lines; "
          "idle CPU over %d s, scaled to 30 s; memory limit %d MiB, "
          "waited at most %d s.  Ratios are procman / the other "
          "(for MiB/s higher is better, elsewhere lower).  "
          "tests/bench/README.md explains each figure." % (
              o.apps, o.status_runs, o.kills, o.log_mib, LINE, o.window,
              MEM_LIMIT_MIB, o.mem_limit))
    pm = results.get("procman")
    if isinstance(pm, dict) and "floor-status-list" in pm:
        print("Status floor with the same data: floor-client sending a "
              "`list` request (the %d procs jlist prints) takes %.1f ms."
              % (o.apps, pm["floor-status-list"] * 1000))
    if isinstance(results.get("pm2"), dict) and \
            "mem-restart" in results["pm2"]:
        print("Memory restart is one crossing at an arbitrary phase of "
              "each supervisor's memory check: procman every 1 s, PM2 "
              "every 30 s (PM2_WORKER_INTERVAL), so expect anywhere in "
              "[0, period] plus the signal; supervisord has no memory "
              "limit of its own.")
    for k in ("pm2", "supervisord"):
        if results.get(k) == "not installed":
            print("%s is %s." % (k, versions[k]))
    for e in errors:
        print("**error** " + e)
    print()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

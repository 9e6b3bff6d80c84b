#!/usr/bin/env python3
"""monitor.py: what watching idle processes costs procmand.

For each N (100 and 1,000 by default) this starts N supervised idle
processes (`sleep`) in a fresh PROCMAN_HOME, waits until all are online,
then measures:

  - procmand's RSS (VmRSS of /proc/<pid>/status);
  - procmand's CPU seconds per minute of sampling at the default 1 s
    tick (utime+stime of /proc/<pid>/stat over a measured window);
  - the median wall time of `procman jlist` over 20 runs.

Everything it starts is stopped with `procman kill` and then, by pid,
every process whose environment holds its PROCMAN_HOME.

    python3 tests/bench/monitor.py [--quick] [--counts 100,1000]
"""
import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PROCMAN = os.path.join(ROOT, "bin", "procman")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def pm(home, *args, check=True):
    env = dict(os.environ, PROCMAN_HOME=home)
    return subprocess.run([PROCMAN, *args], env=env, check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=300)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def our_pids(home):
    marker = ("PROCMAN_HOME=" + home).encode()
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                if marker in f.read().split(b"\0"):
                    pids.append(int(d))
        except OSError:
            pass
    return pids


def cleanup(home):
    try:
        pm(home, "kill", check=False)
    except subprocess.TimeoutExpired:
        pass
    for pid in our_pids(home):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    shutil.rmtree(home, ignore_errors=True)


def wait_online(home, n, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        procs = json.loads(pm(home, "jlist").stdout)
        if sum(p["status"] == "online" for p in procs) == n:
            return True
        time.sleep(0.2)
    return False


def measure(n, window):
    home = tempfile.mkdtemp(prefix="procman-bench-")
    eco = os.path.join(home, "idle.yaml")
    # Apps of up to 100 instances each, as a real host would have them.
    with open(eco, "w") as f:
        f.write("apps:\n")
        for i in range((n + 99) // 100):
            f.write("  - name: idle%d\n    script: sleep\n"
                    "    args: \"1000000\"\n    instances: %d\n"
                    % (i, min(100, n - i * 100)))
    try:
        pm(home, "start", eco)
        if not wait_online(home, n, 120):
            raise SystemExit("bench: %d procs did not come online" % n)
        with open(os.path.join(home, "procmand.pid")) as f:
            dpid = int(f.read())
        time.sleep(2)   # the first samples, then steady state
        c0, t0 = cpu_seconds(dpid), time.monotonic()
        time.sleep(window)
        c1, t1 = cpu_seconds(dpid), time.monotonic()
        cpu_per_min = (c1 - c0) * 60 / (t1 - t0)
        times = []
        for _ in range(20):
            s = time.perf_counter()
            pm(home, "jlist")
            times.append((time.perf_counter() - s) * 1000)
        return {
            "n": n,
            "rss_mib": rss_kib(dpid) / 1024,
            "cpu_s_per_min": cpu_per_min,
            "cpu_pct": cpu_per_min / 60 * 100,
            "jlist_ms": statistics.median(times),
        }
    finally:
        cleanup(home)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="a 10 s window instead of 60 s")
    ap.add_argument("--counts", default="100,1000")
    args = ap.parse_args()
    window = 10 if args.quick else 60
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    rows = [measure(int(c), window) for c in args.counts.split(",")]
    print("### Sampling idle processes (1 s tick, %d s window)\n" % window)
    print("| processes | procmand RSS | CPU s / min | % of one core "
          "| jlist median |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %d | %.1f MiB | %.3f | %.2f%% | %.1f ms |" % (
            r["n"], r["rss_mib"], r["cpu_s_per_min"], r["cpu_pct"],
            r["jlist_ms"]))
    print()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Runs Neurowire's benchmark (bench/run.sh sets up and builds, then calls this).

Every measurement is run --runs times (default 3), Neurowire and PyTorch interleaved, and
the median is reported. Both sides run under the same environment; --coretype picks what
OPENBLAS_CORETYPE is for a pass ("env": as inherited, "unset", or a core name), and a list
runs one pass per entry.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
TORCH_REF = os.path.join("bench", "torch_ref.py")
XOR_SPEC = "examples/xor-deep-sigmoid.json"
MNIST_SPEC = "examples/mnist-mlp.json"
XOR_STEPS = 10001
LAT_REPEAT = 20000
BATCH = 100
# FLOPs of one MNIST training step (784-256-256-10, batch 100): forward, weight gradients
# (the same count), input gradients of layers 2 and 3 (layer 1's input needs none).
FWD = 2 * BATCH * (784 * 256 + 256 * 256 + 256 * 10)
STEP_FLOPS = FWD + FWD + 2 * BATCH * (256 * 256 + 256 * 10)
# The dataset in float32 (70000 images of 784 pixels) plus its 70000 one-byte labels.
DATASET_BYTES = 70000 * 784 * 4 + 70000
RSS_LIMIT = 3 * DATASET_BYTES

KEEP_MARKER = "<!-- bench/run.sh --report rewrites everything above this line and keeps what is below -->"

TARGETS = {
    "xor": ">= 50x faster",
    "mnist": "<= 0.55 of PyTorch's time",
    "xor_cl": ">= 5x faster",
    "mnist_cl": "<= 1.0 of PyTorch's time (no slower)",
    "latency": "<= 10 us",
    "memory": "<= 3x dataset (%.1f MB)" % (RSS_LIMIT / 1e6),
}


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def pass_env(coretype):
    env = dict(os.environ)
    if coretype == "unset":
        env.pop("OPENBLAS_CORETYPE", None)
    elif coretype != "env":
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def env_prefix(env):
    ct = env.get("OPENBLAS_CORETYPE")
    return ("OPENBLAS_CORETYPE=%s " % ct) if ct else "env -u OPENBLAS_CORETYPE "


def parse_time_v(path):
    """Wall seconds and max RSS (bytes) from /usr/bin/time -v's report."""
    wall = rss = None
    try:
        text = open(path).read()
    except OSError:
        return None, None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) * 1024
    m = re.search(r"Elapsed \(wall clock\) time.*: ([\d:.]+)", text)
    if m:
        parts = [float(p) for p in m.group(1).split(":")]
        wall = 0.0
        for p in parts:
            wall = wall * 60 + p
    return wall, rss


HZ = os.sysconf("SC_CLK_TCK")


def stat_snap():
    """(all jiffies, busy jiffies) of the whole machine from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v), sum(v) - v[3] - v[4]


def cpu_busy(interval=0.5):
    """Share of the machine's CPU time spent busy (not idle/iowait) over `interval` s."""
    t0, b0 = stat_snap()
    time.sleep(interval)
    t1, b1 = stat_snap()
    return (b1 - b0) / max(1, t1 - t0)


def busiest():
    out = subprocess.run("top -b -n 2 -d 0.5 | awk '/^ *PID/{n++; next} n==2 && $9+0 > 5 {print $12\"(\"$9\"%)\"}' | head -4",
                         shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return " ".join(out.split())


QUIET = {"waits": 0, "noisy": 0, "retried": 0}


def wait_quiet(max_wait=180):
    """Waits until nothing else keeps the CPUs busy (another build or test run would skew
    the timings); gives up after max_wait seconds and counts the run as noisy."""
    waited = 0
    while True:
        busy = cpu_busy()
        if busy < 0.15:
            return
        if waited == 0:
            QUIET["waits"] += 1
            log("machine busy (%.0f%% CPU used by others: %s); waiting for it to go quiet" % (
                busy * 100, busiest()))
        if waited >= max_wait:
            log("still busy after %d s; measuring anyway" % waited)
            return
        time.sleep(5)
        waited += 5


def run_json(argv, env, event, timed=True):
    """Runs argv (under /usr/bin/time -v when timed) and returns the last JSON line whose
    "event" is `event`, with "wall_s" and "max_rss" added; None on failure."""
    with tempfile.NamedTemporaryFile(prefix="nw-bench-time-", delete=False) as tf:
        tpath = tf.name
    full = (["/usr/bin/time", "-v", "-o", tpath] if timed else []) + argv
    wait_quiet()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    st0 = stat_snap()
    try:
        p = subprocess.run(full, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        log("timed out: " + " ".join(argv))
        os.unlink(tpath)
        return None
    st1 = stat_snap()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time the rest of the machine used while this ran: a run that shared the CPUs
    # with someone else's work is flagged so that it can be run again.
    own = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    others = (st1[1] - st0[1]) / HZ - own
    wall, rss = parse_time_v(tpath) if timed else (None, None)
    os.unlink(tpath)
    found = None
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("event") == event:
                found = obj
    if p.returncode != 0 or found is None:
        log("failed (exit %d): %s\n%s%s" % (p.returncode, " ".join(argv), p.stdout[-2000:], p.stderr[-2000:]))
        return None
    found["wall_s"] = wall
    found["max_rss"] = rss
    found["others_cpu_s"] = round(others, 3)
    found["disturbed"] = others > 0.05 + 0.05 * (wall or 0)
    return found


def run_measured(argv, env, event, tries=3):
    """run_json, run again (up to `tries` times in all) while other work on the machine
    took CPU time during the run; the last attempt is kept whatever happened."""
    for i in range(tries):
        r = run_json(argv, env, event)
        if r is None or not r["disturbed"] or i == tries - 1:
            if r is not None and r["disturbed"]:
                QUIET["noisy"] += 1
            return r
        QUIET["retried"] += 1
        log("other work took %.2f CPU-s during the run; running it again" % r["others_cpu_s"])


def median_of(runs, key):
    vals = [r[key] for r in runs if r is not None and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, spec="%.3f"):
    return "n/a" if v is None else spec % v


def one_pass(a, coretype):
    env = pass_env(coretype)
    pre = env_prefix(env)
    res = {"coretype_mode": coretype, "coretype_env": env.get("OPENBLAS_CORETYPE"), "cmds": {}}
    threads = [int(t) for t in a.torch_threads.split(",")]
    cli = os.path.relpath(a.cli, ROOT) if a.cli else None
    have_cli = a.cli is not None and os.access(a.cli, os.X_OK)
    if not have_cli:
        log("neurowire-cli not available: Neurowire's side is skipped")

    # ---- OpenBLAS reference and versions
    peaks = [run_json([a.sgemm, str(BATCH), "400"], env, "sgemm_peak", timed=False) for _ in range(a.runs)]
    peaks = [p for p in peaks if p]
    if peaks:
        peaks.sort(key=lambda p: p["peak_gflops_best"])
        res["sgemm"] = peaks[len(peaks) // 2]
    res["cmds"]["sgemm"] = pre + "%s %d 400" % (os.path.relpath(a.sgemm, ROOT), BATCH)
    res["torch_info"] = run_json([PY, TORCH_REF, "--threads", str(threads[0]), "info"], env, "info", timed=False)

    def nw(argv):
        return run_measured([a.cli] + argv, env, "done" if argv[0] == "train" else "latency") if have_cli else None

    def th(t, argv):
        return run_measured([PY, TORCH_REF, "--threads", str(t)] + argv, env,
                            "latency" if argv[0] == "latency" else "done")

    benches = {
        "xor": (["train", "--spec", XOR_SPEC, "--steps", str(XOR_STEPS), "--json", "--quiet"],
                ["xor", "--steps", str(XOR_STEPS)]),
        "mnist": (["train", "--spec", MNIST_SPEC, "--epochs", "1", "--json", "--quiet"],
                  ["mnist", "--epochs", "1"]),
        "latency": (["latency", "--spec", MNIST_SPEC, "--repeat", str(LAT_REPEAT), "--json"],
                    ["latency", "--repeat", str(LAT_REPEAT)]),
    }
    for name in a.only.split(","):
        nw_argv, th_argv = benches[name]
        # --cl: the same training on the OpenCL backend too, interleaved with the same runs.
        cl_argv = nw_argv + ["--backend", "cl"] if a.cl and name in ("xor", "mnist") else None
        res["cmds"][name + "_nw"] = pre + (cli or "build-bench/app/neurowire-cli") + " " + " ".join(nw_argv)
        if cl_argv:
            res["cmds"][name + "_nw_cl"] = pre + (cli or "build-bench/app/neurowire-cli") + " " + " ".join(cl_argv)
        nw_runs, cl_runs, th_runs = [], [], {t: [] for t in threads}
        for r in range(a.runs):
            log("%s: %s run %d/%d" % (coretype, name, r + 1, a.runs))
            nw_runs.append(nw(nw_argv))
            if cl_argv:
                cl_runs.append(nw(cl_argv))
            for t in threads:
                th_runs[t].append(th(t, th_argv))
        res[name] = {"nw": nw_runs, "torch": th_runs}
        if cl_argv:
            res[name]["nw_cl"] = cl_runs
        for t in threads:
            res["cmds"]["%s_torch_t%d" % (name, t)] = pre + "%s %s --threads %d %s" % (
                PY, TORCH_REF, t, " ".join(th_argv))
    # neurowire-cli re-execs itself with a better OPENBLAS_CORETYPE when the variable is
    # unset and OpenBLAS fell back to a generic core: then its GFLOP/s are set against
    # sgemm under the core it actually ran.
    nw_core = None
    for b in ("mnist", "xor", "latency"):
        for r in res.get(b, {}).get("nw", []):
            m = re.search(r"OpenBLAS (\w+)", (r or {}).get("backend", ""))
            if m and nw_core is None:
                nw_core = m.group(1)
    res["nw_core"] = nw_core
    if nw_core and res.get("sgemm") and nw_core != res["sgemm"]["corename"]:
        env2 = dict(env, OPENBLAS_CORETYPE=nw_core)
        peaks = [run_json([a.sgemm, str(BATCH), "400"], env2, "sgemm_peak", timed=False) for _ in range(a.runs)]
        peaks = sorted((p for p in peaks if p), key=lambda p: p["peak_gflops_best"])
        if peaks:
            res["sgemm_nw"] = peaks[len(peaks) // 2]
            res["cmds"]["sgemm_nw"] = "OPENBLAS_CORETYPE=%s %s %d 400" % (nw_core, os.path.relpath(a.sgemm, ROOT), BATCH)
    res["quiet"] = dict(QUIET)
    QUIET.update(waits=0, noisy=0, retried=0)
    return res


def summarize(res, threads):
    """Rows of the results table for one pass, and the notes under it."""
    rows, notes = [], []
    key = {"xor": "seconds", "mnist": "seconds", "latency": "median_us"}

    def torch_best(name):
        """(median, threads) of the faster torch thread setting, and all medians."""
        meds = {t: median_of(res[name]["torch"][t], key[name]) for t in threads}
        ok = {t: m for t, m in meds.items() if m is not None}
        if not ok:
            return None, None, meds
        t = min(ok, key=ok.get)
        return ok[t], t, meds

    def torch_cell(name, unit_fmt):
        best, t, meds = torch_best(name)
        parts = ["t=%d: %s" % (tt, fmt(m, unit_fmt)) for tt, m in meds.items()]
        return best, t, ("%s (best, t=%s)" % (fmt(best, unit_fmt), t) if best is not None else "n/a"), "; ".join(parts)

    def verdict(ok):
        return "n/a" if ok is None else ("PASS" if ok else "MISS")

    if "xor" in res:
        nw_s = median_of(res["xor"]["nw"], "seconds")
        best, t, cell, allt = torch_cell("xor", "%.3f s")
        ratio = best / nw_s if best and nw_s else None
        rows.append(["1. XOR 2-10-10-10-1 sigmoid, 10001 full-batch SGD steps (train loop)",
                     fmt(nw_s, "%.4f s"), cell, fmt(ratio, "%.1fx faster"), TARGETS["xor"],
                     verdict(None if ratio is None else ratio >= 50)])
        notes.append("XOR PyTorch per thread setting: %s; Neurowire whole-process wall %s, "
                     "steps/s %s, final loss %s vs PyTorch %s" % (
                         allt, fmt(median_of(res["xor"]["nw"], "wall_s"), "%.3f s"),
                         fmt(median_of(res["xor"]["nw"], "steps_per_s"), "%.0f"),
                         fmt(median_of(res["xor"]["nw"], "train_loss"), "%.3g"),
                         fmt(median_of(res["xor"]["torch"][t], "train_loss") if t else None, "%.3g")))
    if "xor" in res and "nw_cl" in res["xor"]:
        cl_s = median_of(res["xor"]["nw_cl"], "seconds")
        best, t, cell, allt = torch_cell("xor", "%.3f s")
        ratio = best / cl_s if best and cl_s else None
        rows.append(["1c. XOR as 1., on the OpenCL backend (PoCL here) (train loop)",
                     fmt(cl_s, "%.4f s"), cell, fmt(ratio, "%.1fx faster"), TARGETS["xor_cl"],
                     verdict(None if ratio is None else ratio >= 5)])
        notes.append("XOR on OpenCL: steps/s %s, per step %s kernel launches and %s host-device "
                     "syncs (training loop), final loss %s; device: %s" % (
                         fmt(median_of(res["xor"]["nw_cl"], "steps_per_s"), "%.0f"),
                         fmt(median_of(res["xor"]["nw_cl"], "launches_per_step"), "%.4f"),
                         fmt(median_of(res["xor"]["nw_cl"], "syncs_per_step"), "%.4f"),
                         fmt(median_of(res["xor"]["nw_cl"], "train_loss"), "%.3g"),
                         next((r["backend"] for r in res["xor"]["nw_cl"] if r), "n/a")))
    if "mnist" in res and "nw_cl" in res["mnist"]:
        cl_s = median_of(res["mnist"]["nw_cl"], "seconds")
        best, t, cell, allt = torch_cell("mnist", "%.3f s")
        ratio = cl_s / best if best and cl_s else None
        rows.append(["2c. MNIST as 2., on the OpenCL backend (PoCL here) (train loop)",
                     fmt(cl_s, "%.3f s"), cell, fmt(ratio, "%.3f of PyTorch"), TARGETS["mnist_cl"],
                     verdict(None if ratio is None else ratio <= 1.0)])
        notes.append("MNIST on OpenCL: steps/s %s, per step %s kernel launches and %s host-device "
                     "syncs (training loop), test acc %s" % (
                         fmt(median_of(res["mnist"]["nw_cl"], "steps_per_s"), "%.0f"),
                         fmt(median_of(res["mnist"]["nw_cl"], "launches_per_step"), "%.2f"),
                         fmt(median_of(res["mnist"]["nw_cl"], "syncs_per_step"), "%.2f"),
                         fmt(median_of(res["mnist"]["nw_cl"], "test_acc"), "%.4f")))
    if "mnist" in res:
        nw_s = median_of(res["mnist"]["nw"], "seconds")
        best, t, cell, allt = torch_cell("mnist", "%.3f s")
        ratio = nw_s / best if best and nw_s else None
        rows.append(["2. MNIST 784-256-256-10 ReLU, Adam, batch 100, 1 epoch (train loop)",
                     fmt(nw_s, "%.3f s"), cell, fmt(ratio, "%.3f of PyTorch"), TARGETS["mnist"],
                     verdict(None if ratio is None else ratio <= 0.55)])
        steps = median_of(res["mnist"]["nw"], "steps") or 600
        gf_nw = steps * STEP_FLOPS / nw_s / 1e9 if nw_s else None
        gf_th = 600 * STEP_FLOPS / best / 1e9 if best else None
        sg_nw = res.get("sgemm_nw") or res.get("sgemm", {})
        peak = sg_nw.get("peak_gflops_best")
        peak_med = sg_nw.get("peak_gflops_median")
        rows.append(["2b. MNIST achieved GFLOP/s (%.1f MFLOP/step) vs sgemm at the step's shapes" % (STEP_FLOPS / 1e6),
                     fmt(gf_nw, "%.1f GFLOP/s"), fmt(gf_th, "%.1f GFLOP/s"),
                     ("Neurowire at %s of the sgemm peak %s (%s; median-based peak %s)" % (
                         fmt(gf_nw / peak * 100 if gf_nw and peak else None, "%.0f%%"),
                         fmt(peak, "%.1f"), sg_nw.get("corename", "?"), fmt(peak_med, "%.1f"))),
                     "(report)", "info"])
        notes.append("MNIST PyTorch per thread setting: %s; Neurowire whole-process wall %s "
                     "(data loading included); test acc %s vs PyTorch %s" % (
                         allt, fmt(median_of(res["mnist"]["nw"], "wall_s"), "%.3f s"),
                         fmt(median_of(res["mnist"]["nw"], "test_acc"), "%.4f"),
                         fmt(median_of(res["mnist"]["torch"][t], "test_acc") if t else None, "%.4f")))
        rss = median_of(res["mnist"]["nw"], "max_rss")
        rss_th = median_of(res["mnist"]["torch"][t], "max_rss") if t else None
        rows.append(["4. Peak memory (max RSS) of the MNIST epoch run",
                     fmt(rss / 1e6 if rss else None, "%.1f MB"),
                     fmt(rss_th / 1e6 if rss_th else None, "%.1f MB"),
                     fmt(rss / DATASET_BYTES if rss else None, "%.2fx dataset"),
                     TARGETS["memory"], verdict(None if rss is None else rss <= RSS_LIMIT)])
    if "latency" in res:
        nw_us = median_of(res["latency"]["nw"], "median_us")
        best, t, cell, allt = torch_cell("latency", "%.1f us")
        ratio = best / nw_us if best and nw_us else None
        rows.append(["3. One-row inference latency 784-256-256-10 (median)",
                     fmt(nw_us, "%.2f us"), cell, fmt(ratio, "%.1fx faster than PyTorch"),
                     TARGETS["latency"], verdict(None if nw_us is None else nw_us <= 10)])
        notes.append("Latency PyTorch per thread setting: %s; Neurowire mean %s; the same three "
                     "one-row products straight through OpenBLAS (sgemm_peak): sgemm with m=1 %s, "
                     "sgemv %s" % (
                         allt, fmt(median_of(res["latency"]["nw"], "mean_us"), "%.2f us"),
                         fmt(res.get("sgemm", {}).get("row_sgemm_us"), "%.1f us"),
                         fmt(res.get("sgemm", {}).get("row_sgemv_us"), "%.1f us")))
    rows.sort(key=lambda r: r[0])
    backends = sorted({r.get("backend") for b in ("xor", "mnist") if b in res
                       for r in res[b]["nw"] if r and r.get("backend")})
    return rows, notes, backends


def core_warning(res):
    core, nw_core = res.get("sgemm", {}).get("corename"), res.get("nw_core")
    if core and nw_core and core != nw_core:
        return ("neurowire-cli ran OpenBLAS's %s kernels but PyTorch (and sgemm_peak) ran %s: "
                "with OPENBLAS_CORETYPE unset and a CPU this OpenBLAS does not recognise, "
                "neurowire-cli re-executes itself with a better core, which PyTorch does not do. "
                "This pass compares BLAS kernels as much as the two programs; the passes with "
                "OPENBLAS_CORETYPE set compare like with like." % (nw_core, core))
    return None


def table_text(rows):
    head = ["figure", "Neurowire", "PyTorch", "ratio", "target", "result"]
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r))
    return "\n".join([line(head), "  ".join("-" * x for x in w)] + [line(r) for r in rows])


def table_md(rows):
    head = ["figure", "Neurowire", "PyTorch", "ratio", "target", "result"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def machine_info():
    return {
        "cpu": sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1"),
        "cores": sh("nproc"),
        "threads_per_core": sh("lscpu | sed -n 's/^Thread(s) per core:[[:space:]]*//p'"),
        "simd": sh("grep -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\\n' ' '"),
        "mem": sh("free -g | awk '/^Mem:/{print $2\" GiB\"}'"),
        "kernel": platform.release(),
        "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
        "openblas": sh("dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\\n' 'libopenblas0*' "
                       "2>/dev/null | awk '$1==\"ii\"{printf \"%s %s  \", $2, $3}'"),
        "torch_pkg": sh("dpkg-query -W -f='${Version}' python3-torch"),
        "cc": sh("cc --version | head -1"),
        "python": platform.python_version(),
        "git": sh("git rev-parse --short HEAD") + (" (with uncommitted changes)" if sh("git status --porcelain") else ""),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cli", default=os.path.join(ROOT, "build-bench", "app", "neurowire-cli"))
    p.add_argument("--sgemm", default=os.path.join(ROOT, "build-bench", "sgemm_peak"),
                   help="the compiled bench/sgemm_peak.c")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--coretype", default="env", help="comma list of env|unset|NAME, one pass each")
    p.add_argument("--torch-threads", default=str(os.cpu_count() or 1),
                   help="comma list of torch.set_num_threads values; the faster one is compared")
    p.add_argument("--only", default="xor,mnist,latency")
    p.add_argument("--cl", action="store_true",
                   help="also time xor and mnist with neurowire-cli --backend cl (OpenCL)")
    p.add_argument("--report", default=None, help="write this Markdown report")
    p.add_argument("--json-out", default=None, help="write all raw results here")
    p.add_argument("--command", default=None, help="the command line to quote in the report")
    p.add_argument("--from-json", default=None,
                   help="measure nothing: print (and with --report write) the results saved by --json-out")
    a = p.parse_args()
    threads = [int(t) for t in a.torch_threads.split(",")]

    if a.from_json:
        with open(a.from_json) as f:
            saved = json.load(f)
        started = datetime.datetime.fromisoformat(saved["started"])
        info, raw = saved["machine"], saved["passes"]
        a.runs, threads, a.command = saved["runs"], saved["torch_threads"], saved["command"]
        a.cl = saved.get("cl", False)
        for res in raw:   # JSON turned the thread-count keys into strings
            for b in ("xor", "mnist", "latency"):
                if b in res:
                    res[b]["torch"] = {int(k): v for k, v in res[b]["torch"].items()}
    else:
        started = datetime.datetime.now().astimezone()
        info = machine_info()
        raw = [one_pass(a, ct) for ct in a.coretype.split(",")]
    passes = []
    for res in raw:
        rows, notes, backends = summarize(res, threads)
        passes.append((res, rows, notes, backends))

    out = []
    for res, rows, notes, backends in passes:
        sg = res.get("sgemm", {})
        ti = res.get("torch_info") or {}
        out.append("")
        out.append("== OPENBLAS_CORETYPE=%s (pass '%s'): sgemm_peak ran OpenBLAS core %s with %s threads; "
                   "neurowire-cli backend: %s" % (res["coretype_env"] or "(unset)", res["coretype_mode"],
                                                  sg.get("corename", "?"), sg.get("threads", "?"),
                                                  ", ".join(backends) or "n/a"))
        out.append("   torch %s, torch.set_num_threads in %s (the table compares the faster), config: %s" % (
            ti.get("torch_version", "?"), threads, json.dumps(ti.get("config", {}))))
        out.append("   medians of %d runs each; 'seconds' = training loop only on both sides" % a.runs)
        out.append("   runs that waited for a busy machine to go quiet: %d; run again because other work "
                   "took CPU during them: %d; kept although disturbed (third try): %d" % (
                       res["quiet"]["waits"], res["quiet"]["retried"], res["quiet"]["noisy"]))
        out.append(table_text(rows))
        for n in notes:
            out.append("   " + n)
        w = core_warning(res)
        if w:
            out.append("   WARNING: " + w)
    print("\n".join(out))

    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump({"started": started.isoformat(), "command": a.command, "runs": a.runs,
                       "torch_threads": threads, "cl": a.cl, "machine": info,
                       "passes": [r for r, *_ in passes]}, f, indent=1)
    if a.report:
        write_report(a, started, info, passes, threads)
        log("wrote " + a.report)


def write_report(a, started, info, passes, threads):
    L = []
    L.append("# Neurowire benchmark report")
    L.append("")
    L.append("Written by `%s` on %s. Benchmarks, not tests: nothing in `tests/` runs them." % (
        a.command or "bench/run.sh --report", started.strftime("%Y-%m-%d %H:%M %Z")))
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append("- CPU: %s, %s cores (%s thread(s) per core), %s; SIMD: %s" % (
        info["cpu"], info["cores"], info["threads_per_core"], info["mem"], info["simd"]))
    L.append("- OS: %s, kernel %s" % (info["os"], info["kernel"]))
    L.append("- OpenBLAS: %s" % info["openblas"])
    L.append("- PyTorch: python3-torch %s (Python %s)" % (info["torch_pkg"], info["python"]))
    L.append("- Compiler: %s; Neurowire at git %s, built with `meson setup build-bench --buildtype=release`" % (
        info["cc"], info["git"]))
    L.append("")
    L.append("Each figure is the median of %d runs, Neurowire and PyTorch interleaved. Times are of "
             "the training loop only on both sides (Neurowire: the `seconds` field of the `done` line; "
             "PyTorch: `time.perf_counter` around the loop). PyTorch ran with `torch.set_num_threads` "
             "set to each of %s; the table compares against the faster one." % (a.runs, threads))
    # Summary: one column per pass.
    L.append("")
    L.append("## Summary")
    L.append("")
    heads = ["OPENBLAS_CORETYPE=%s (Neurowire ran %s, PyTorch %s)" % (
        r["coretype_env"] or "(unset)", r.get("nw_core") or "?", r.get("sgemm", {}).get("corename", "?"))
        for r, *_ in passes]
    L.append("| figure | target | " + " | ".join(heads) + " |")
    L.append("|---|---|" + "---|" * len(heads))
    for i, row in enumerate(passes[0][1]):
        cells = []
        for _, rows, _, _ in passes:
            r = rows[i]
            cells.append("%s vs %s: %s%s" % (r[1], r[2].split(" (")[0], r[3].split(" (")[0],
                                            "" if r[5] == "info" else " **%s**" % r[5]))
        L.append("| %s | %s | %s |" % (row[0], row[4], " | ".join(cells)))
    for res, rows, notes, backends in passes:
        sg = res.get("sgemm", {})
        ti = res.get("torch_info") or {}
        L.append("")
        L.append("## OPENBLAS_CORETYPE=%s" % (res["coretype_env"] or "(unset)"))
        L.append("")
        L.append("OpenBLAS core that ran (sgemm_peak's `openblas_get_corename()`): **%s**, %s threads. "
                 "neurowire-cli backend: %s. torch %s, config: `%s`." % (
                     sg.get("corename", "?"), sg.get("threads", "?"), ", ".join(backends) or "n/a",
                     ti.get("torch_version", "?"), json.dumps(ti.get("config", {}))))
        L.append("")
        w = core_warning(res)
        if w:
            L.append("**Note:** " + w)
            L.append("")
        L.append(table_md(rows))
        L.append("")
        L.append("- The machine is shared: runs that first waited for other work to finish: %d; run "
                 "again because other processes took CPU time during them: %d; kept although "
                 "disturbed on the third try: %d." % (res["quiet"]["waits"], res["quiet"]["retried"],
                                                      res["quiet"]["noisy"]))
        for n in notes:
            L.append("- " + n)
        for g in (sg, res.get("sgemm_nw") or {}):
            if g.get("shapes"):
                L.append("- sgemm (%s) at the step's shapes, best / median GFLOP/s: " % g.get("corename") + "; ".join(
                    "%s %.1f / %.1f" % (s["name"], s["gflops_best"], s["gflops_median"]) for s in g["shapes"]))
        L.append("")
        L.append("Commands:")
        L.append("")
        for k, v in res["cmds"].items():
            L.append("- %s: `%s`" % (k, v))
    L.append("")
    L.append("## Reading these numbers")
    L.append("")
    L.append("How the two sides are made comparable, and why PyTorch is run at two thread counts: "
             "`bench/README.md`. Where the time goes, for the figures that miss and the ones close "
             "to their target: `bench/NOTES.md`.")
    # Text written by hand below the marker (other benchmarks' notes) survives a rewrite.
    kept = ""
    try:
        with open(a.report) as f:
            old = f.read()
        if KEEP_MARKER in old:
            kept = old.split(KEEP_MARKER, 1)[1]
    except OSError:
        pass
    L.append("")
    L.append(KEEP_MARKER)
    with open(a.report, "w") as f:
        f.write("\n".join(L) + (kept if kept else "\n"))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""PyTorch reference side of Neurowire's benchmark (bench/run.sh drives it).

Subcommands, each printing JSON lines (the last one is the result):
  info                      torch version, BLAS/MKL config, threads
  xor     [--steps N]       2-10-10-10-1 all-sigmoid, BCE, SGD lr 1.0, full batch of 4 points
  mnist   [--epochs N]      784-256-256-10 ReLU, Adam 1e-3, batch 100, softmax cross-entropy
  latency [--repeat N]      one-row forward of the MNIST net under torch.no_grad() (the
                            first MNIST test image, 1000 untimed runs first, like neurowire-cli)

The reference is written the idiomatic-but-fast way: data as tensors in memory, one
torch.randperm per epoch and index slicing for batches (no DataLoader), nn.Sequential,
the stock loss and optimizer classes. Only the training loop is timed (time.perf_counter),
the whole loop, the same way as Neurowire's "seconds" field.

--device cuda runs the same on a GPU (the reference for the OpenCL backend on a GPU): data,
model and randperm live on the device, and the clock stops after torch.cuda.synchronize().
"""
import argparse
import json
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn


def emit(**kw):
    print(json.dumps(kw), flush=True)


def sync(dev):
    """Waits for the device's queued work, so that a timer read after it counts that work."""
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def set_threads(n):
    n = n or os.cpu_count() or 1
    torch.set_num_threads(n)
    return torch.get_num_threads()


def config_summary():
    """The line of torch.__config__.show() that names the BLAS/LAPACK and build flags,
    cut down to the parts that matter here, plus the CPU capability line."""
    show = torch.__config__.show()
    out = {}
    for line in show.splitlines():
        line = line.strip().lstrip("- ").strip()
        if line.startswith("CPU capability usage"):
            out["cpu_capability"] = line.split(":", 1)[1].strip()
        elif line.startswith("Build settings"):
            for kv in line.split(":", 1)[1].split(","):
                if "=" in kv:
                    k, v = kv.strip().split("=", 1)
                    if k in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP", "TORCH_VERSION"):
                        out[k] = v
        elif "MKL-DNN" in line or line.startswith("OpenMP"):
            out.setdefault("libs", []).append(line)
    out["mkl_available"] = torch.backends.mkl.is_available()
    out["mkldnn_available"] = torch.backends.mkldnn.is_available()
    return out


def cmd_info(a):
    threads = set_threads(a.threads)
    emit(event="info", torch_version=torch.__version__, threads=threads,
         interop_threads=torch.get_num_interop_threads(), config=config_summary(),
         openblas_coretype=os.environ.get("OPENBLAS_CORETYPE"))


# ---------------------------------------------------------------- XOR
def cmd_xor(a):
    threads = set_threads(a.threads)
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], device=dev)
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]], device=dev)
    model = nn.Sequential(
        nn.Linear(2, 10), nn.Sigmoid(),
        nn.Linear(10, 10), nn.Sigmoid(),
        nn.Linear(10, 10), nn.Sigmoid(),
        nn.Linear(10, 1), nn.Sigmoid(),
    ).to(dev)
    loss_fn = nn.BCELoss()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    sync(dev)
    t0 = time.perf_counter()
    for _ in range(a.steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    sync(dev)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        p = model(x)
        final = loss_fn(p, y).item()
        acc = ((p > 0.5).float() == y).float().mean().item()
    emit(event="done", bench="xor", steps=a.steps, seconds=seconds,
         steps_per_s=a.steps / seconds, train_loss=final, train_acc=acc, threads=threads,
         device=str(dev))


# ---------------------------------------------------------------- MNIST
def data_dir(path):
    if path:
        return path
    base = os.environ.get("NEUROWIRE_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "neurowire")
    return os.path.join(base, "mnist")


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    body = bytearray(raw[4 + 4 * ndim:])
    return torch.frombuffer(body, dtype=torch.uint8).reshape(dims)


def load_mnist(path):
    d = data_dir(path)
    xtr = read_idx(os.path.join(d, "train-images-idx3-ubyte")).reshape(-1, 784).float().div_(255.0)
    ytr = read_idx(os.path.join(d, "train-labels-idx1-ubyte")).long()
    xte = read_idx(os.path.join(d, "t10k-images-idx3-ubyte")).reshape(-1, 784).float().div_(255.0)
    yte = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte")).long()
    return xtr, ytr, xte, yte


def mnist_model():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(),
                          nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def cmd_mnist(a):
    threads = set_threads(a.threads)
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    t_load = time.perf_counter()
    xtr, ytr, xte, yte = (t.to(dev) for t in load_mnist(a.data))
    load_s = time.perf_counter() - t_load
    model = mnist_model().to(dev)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    n, b = xtr.shape[0], a.batch
    steps = 0
    last_epoch_loss = torch.zeros((), device=dev)
    sync(dev)
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(n, device=dev)
        epoch_loss = torch.zeros((), device=dev)
        for i in range(0, n - b + 1, b):    # full batches only: 600 per epoch
            idx = perm[i:i + b]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            epoch_loss += loss.detach()     # no .item() sync per step
            steps += 1
        last_epoch_loss = epoch_loss / (n // b)
    sync(dev)
    seconds = time.perf_counter() - t0
    model.eval()
    with torch.no_grad():
        out = model(xte)
        test_loss = loss_fn(out, yte).item()
        test_acc = (out.argmax(1) == yte).float().mean().item()
    emit(event="done", bench="mnist", steps=steps, seconds=seconds,
         steps_per_s=steps / seconds, train_loss=last_epoch_loss.item(),
         test_loss=test_loss, test_acc=test_acc, load_seconds=load_s, threads=threads,
         device=str(dev))


# ---------------------------------------------------------------- latency
def cmd_latency(a):
    threads = set_threads(a.threads)
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    model = mnist_model().to(dev).eval()
    # The same row as neurowire-cli latency: the first of MNIST's test split.
    x = read_idx(os.path.join(data_dir(a.data), "t10k-images-idx3-ubyte"))[:1]
    x = x.reshape(1, 784).float().div_(255.0).contiguous().to(dev)
    times = []
    with torch.no_grad():
        for _ in range(a.warmup):
            model(x)
        sync(dev)
        clock = time.perf_counter_ns
        for _ in range(a.repeat):
            t = clock()
            model(x)
            sync(dev)    # one row's answer is wanted now: the wait is part of its latency
            times.append(clock() - t)
    us = [t / 1000.0 for t in times]
    emit(event="latency", median_us=statistics.median(us), mean_us=statistics.fmean(us),
         min_us=min(us), repeat=a.repeat, threads=threads, device=str(dev))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: all cores)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", default="cpu", help="torch device: cpu (default) or cuda")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("info")
    s = sub.add_parser("xor")
    s.add_argument("--steps", type=int, default=10001)
    s.add_argument("--lr", type=float, default=1.0)
    s = sub.add_parser("mnist")
    s.add_argument("--epochs", type=int, default=1)
    s.add_argument("--batch", type=int, default=100)
    s.add_argument("--lr", type=float, default=1e-3)
    s.add_argument("--data", default=None, help="IDX directory (default: the Neurowire one)")
    s = sub.add_parser("latency")
    s.add_argument("--repeat", type=int, default=20000)
    s.add_argument("--warmup", type=int, default=1000)
    s.add_argument("--data", default=None, help="IDX directory (default: the Neurowire one)")
    a = p.parse_args()
    {"info": cmd_info, "xor": cmd_xor, "mnist": cmd_mnist, "latency": cmd_latency}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A PyTorch MNIST model loads in Neurowire and predicts the same.

A torch.nn.Sequential 784-256-256-10 ReLU network is trained briefly in PyTorch (on MNIST when
its files are installed, otherwise on random data, so that the weights are not a fresh
initialisation), saved as safetensors with its state_dict() names ("0.weight", "2.bias", ...),
and given to `neurowire-cli predict` with the equivalent Neurowire spec. Both sides compute the
softmax probabilities of the same 64 images in float32: they must agree within an absolute
1e-5 per probability (float32 sums in a different order differ by ~1e-6 here; a wrong weight
layout or a transposed matrix is off by orders of magnitude more), and the predicted classes
must be the same.

Exits 77 (skipped) when torch is not importable. Prints what it compared.
"""
import json, os, struct, subprocess, sys, tempfile

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as e:
    print(f"torch-mnist-load: skipped ({e}); tools/setup.sh installs python3-torch")
    sys.exit(77)

CLI = os.path.join(os.environ.get("NW_BUILD_DIR", "build"), "app", "neurowire-cli")
ATOL = 1e-5
N_ROWS = 64


def st_save(path, tensors):
    """safetensors, written by hand as tests/torch-parity.py does (no extra package needed)."""
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        a = np.ascontiguousarray(arr, dtype=np.float32)
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes()); off += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); f.write(b"".join(blobs))


def mnist_dir():
    root = os.environ.get("NEUROWIRE_DATA_DIR")
    if root:
        return os.path.join(root, "mnist")
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(xdg, "neurowire", "mnist")


def load_idx(path, images):
    data = open(path, "rb").read()
    if images:
        n, r, c = struct.unpack(">III", data[4:16])
        return np.frombuffer(data[16:], dtype=np.uint8).reshape(n, r * c).astype(np.float32) / 255.0
    n = struct.unpack(">I", data[4:8])[0]
    return np.frombuffer(data[8:], dtype=np.uint8).astype(np.int64)


def data():
    d = mnist_dir()
    try:
        xtr = load_idx(os.path.join(d, "train-images-idx3-ubyte"), True)[:6000]
        ytr = load_idx(os.path.join(d, "train-labels-idx1-ubyte"), False)[:6000]
        xte = load_idx(os.path.join(d, "t10k-images-idx3-ubyte"), True)[:N_ROWS]
        return "MNIST", xtr, ytr, xte
    except OSError:
        rng = np.random.default_rng(3)
        xtr = rng.uniform(0, 1, (2000, 784)).astype(np.float32)
        ytr = rng.integers(0, 10, 2000)
        return "random data", xtr, ytr, rng.uniform(0, 1, (N_ROWS, 784)).astype(np.float32)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    source, xtr, ytr, xte = data()
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.from_numpy(xtr), torch.from_numpy(ytr)
    for epoch in range(2):
        for i in range(0, len(x), 100):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[i:i + 100]), y[i:i + 100]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        theirs = torch.softmax(model(torch.from_numpy(xte)), dim=1).numpy().astype(np.float64)

    spec = {"format": "neurowire-spec", "version": 1, "name": "torch 784-256-256-10",
            "nodes": [{"id": "input", "type": "input"},
                      {"id": "fc1", "type": "dense", "units": 256},
                      {"id": "act1", "type": "activation", "activation": "relu"},
                      {"id": "fc2", "type": "dense", "units": 256},
                      {"id": "act2", "type": "activation", "activation": "relu"},
                      {"id": "fc3", "type": "dense", "units": 10},
                      {"id": "loss", "type": "loss", "loss": "softmax_xent"}],
            "data": {"kind": "mnist"}}
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = os.path.join(tmp, "spec.json")
        weights = os.path.join(tmp, "torch.safetensors")
        rows = os.path.join(tmp, "rows.csv")
        json.dump(spec, open(spec_path, "w"))
        st_save(weights, {k: v.numpy() for k, v in model.state_dict().items()})
        np.savetxt(rows, xte, delimiter=",", fmt="%.9g")
        r = subprocess.run([CLI, "predict", "--spec", spec_path, "--load", weights,
                            "--input-file", rows, "--json"], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL: neurowire-cli predict: {r.stderr.strip()}")
            return 1
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
    ours = np.array([l["output"] for l in lines if "output" in l], dtype=np.float64)
    if ours.shape != theirs.shape:
        print(f"FAIL: {ours.shape} outputs from neurowire-cli, {theirs.shape} from PyTorch")
        return 1
    diff = np.abs(ours - theirs).max()
    same_class = int((ours.argmax(1) == theirs.argmax(1)).sum())
    print(f"torch-mnist-load: trained on {source}; {N_ROWS} images; largest probability "
          f"difference {diff:.2e} (limit {ATOL:.0e}); same class for {same_class}/{N_ROWS}; "
          f"PyTorch's mean top probability {theirs.max(1).mean():.3f}")
    if diff > ATOL or same_class != N_ROWS:
        print("FAIL")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

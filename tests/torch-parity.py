#!/usr/bin/env python3
"""Neurowire against PyTorch, one training step at a time.

For each network below, the same weights (written here as safetensors) and the same batch go
through `neurowire-cli step --update` and through the equivalent torch.nn.Sequential; the
output, the loss, every parameter's gradient and every parameter after one optimizer step
must agree. Float32 on both sides, different summation orders: agreement within
rtol 2e-4 + atol 2e-6 (a wrong formula is off by orders of magnitude more; the Adam family
divides by sqrt(v) ~ |g| on its first step, which amplifies rounding, hence the same margin
on the update rather than a tighter one).

Exits 77 (skipped) when torch is not importable. Prints 'N passed, N failed'.
"""
import json, os, struct, subprocess, sys, tempfile

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as e:
    print(f"torch-parity: skipped ({e}); tools/setup.sh installs python3-torch")
    sys.exit(77)

CLI = os.path.join(os.environ.get("NW_BUILD_DIR", "build"), "app", "neurowire-cli")
RTOL, ATOL = 2e-4, 2e-6


def st_save(path, tensors):
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        a = np.ascontiguousarray(arr, dtype=np.float32)
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes()); off += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); f.write(b"".join(blobs))


def st_load(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dt = {"F32": np.float32, "F64": np.float64, "I64": np.int64}[info["dtype"]]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + e], dtype=dt).reshape(info["shape"])
    return out


# (label, nodes, loss, d, k, torch layers builder, optimizer settings)
def chain(*layers):
    return list(layers)

class Step(nn.Module):
    """The Heaviside step of the course notes (1 for x > 0, else 0). PyTorch has no module
    for it; the comparison cuts the graph as its zero derivative does, so the layers before
    it get no gradient (None here, zeros in neurowire) and no update."""
    def forward(self, x):
        return (x > 0).to(x.dtype)


ACTS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU, "selu": nn.SELU,
        "step": Step}

CASES = [
    ("deep sigmoid + bce, sgd", [("dense", 10), ("act", "sigmoid"), ("dense", 10), ("act", "sigmoid"),
                                ("dense", 1), ("act", "sigmoid")], "bce", 2, 1, {"optimizer": "sgd", "lr": 1.0}),
    ("relu mlp + softmax_xent, adam", [("dense", 16), ("act", "relu"), ("dense", 16), ("act", "relu"), ("dense", 5)],
     "softmax_xent", 8, 5, {"optimizer": "adam", "lr": 0.01}),
    ("tanh + bce_logits, momentum", [("dense", 6), ("act", "tanh"), ("dense", 1)], "bce_logits", 3, 1,
     {"optimizer": "momentum", "lr": 0.1, "momentum": 0.9}),
    ("gelu + mse, rmsprop", [("dense", 7), ("act", "gelu"), ("dense", 3)], "mse", 4, 3,
     {"optimizer": "rmsprop", "lr": 0.01}),
    ("leaky relu/elu + mse, adagrad", [("dense", 7), ("act", ("leaky_relu", 0.2)), ("dense", 5), ("act", ("elu", 0.7)),
                                      ("dense", 2)], "mse", 4, 2, {"optimizer": "adagrad", "lr": 0.1}),
    # No bias before BatchNorm (the usual practice): its gradient is pure rounding noise, and
    # Adam's first step would move it by lr * sign(noise) on each side.
    ("batchnorm + relu, adamw", [("dense", 12, False), ("bn",), ("act", "relu"), ("dense", 3)], "softmax_xent", 5, 3,
     {"optimizer": "adamw", "lr": 0.01, "weight_decay": 0.05}),
    ("layernorm + tanh, nesterov", [("dense", 9), ("ln",), ("act", "tanh"), ("dense", 2)], "mse", 4, 2,
     {"optimizer": "nesterov", "lr": 0.05, "momentum": 0.9}),
    ("selu + mse, adam", [("dense", 7), ("act", "selu"), ("dense", 6), ("act", "selu"), ("dense", 2)], "mse", 4, 2,
     {"optimizer": "adam", "lr": 0.01}),
    ("step (perceptron) + bce, sgd", [("dense", 6), ("act", "step"), ("dense", 1), ("act", "sigmoid")], "bce", 3, 1,
     {"optimizer": "sgd", "lr": 0.5}),
    ("softmax activation + mse, sgd", [("dense", 4), ("act", "softmax"), ("dense", 2)], "mse", 3, 2,
     {"optimizer": "sgd", "lr": 0.5}),
]


def build(nodes, d):
    spec_nodes, torch_layers, width = [{"id": "input", "type": "input"}], [], d
    for i, n in enumerate(nodes):
        nid = f"n{i}"
        if n[0] == "dense":
            bias = n[2] if len(n) > 2 else True
            spec_nodes.append({"id": nid, "type": "dense", "units": n[1], "bias": bias})
            torch_layers.append(nn.Linear(width, n[1], bias=bias)); width = n[1]
        elif n[0] == "act":
            name, alpha = (n[1], None) if isinstance(n[1], str) else n[1]
            node = {"id": nid, "type": "activation", "activation": name}
            if alpha is not None:
                node["alpha"] = alpha
            spec_nodes.append(node)
            if name == "leaky_relu": torch_layers.append(nn.LeakyReLU(alpha))
            elif name == "elu": torch_layers.append(nn.ELU(alpha))
            elif name == "softmax": torch_layers.append(nn.Softmax(dim=1))
            else: torch_layers.append(ACTS[name]())
        elif n[0] == "bn":
            spec_nodes.append({"id": nid, "type": "batchnorm"}); torch_layers.append(nn.BatchNorm1d(width))
        elif n[0] == "ln":
            spec_nodes.append({"id": nid, "type": "layernorm"}); torch_layers.append(nn.LayerNorm(width))
    return spec_nodes, nn.Sequential(*torch_layers)


def torch_optimizer(model, t):
    p = model.parameters()
    o = t["optimizer"]
    if o == "sgd": return torch.optim.SGD(p, lr=t["lr"])
    if o == "momentum": return torch.optim.SGD(p, lr=t["lr"], momentum=t["momentum"])
    if o == "nesterov": return torch.optim.SGD(p, lr=t["lr"], momentum=t["momentum"], nesterov=True)
    if o == "adagrad": return torch.optim.Adagrad(p, lr=t["lr"])
    if o == "rmsprop": return torch.optim.RMSprop(p, lr=t["lr"])
    if o == "adam": return torch.optim.Adam(p, lr=t["lr"])
    if o == "adamw": return torch.optim.AdamW(p, lr=t["lr"], weight_decay=t["weight_decay"])
    raise ValueError(o)


def close(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= ATOL + RTOL * np.abs(b)))


def run_case(tmp, label, nodes, loss, d, k, train):
    torch.manual_seed(0)
    rng = np.random.default_rng(1)
    spec_nodes, model = build(nodes, d)
    spec_nodes.append({"id": "loss", "type": "loss", "loss": loss})
    spec = {"format": "neurowire-spec", "version": 1, "name": label, "nodes": spec_nodes,
            "training": dict(train)}
    rows = 6
    x = rng.uniform(-1.5, 1.5, (rows, d)).astype(np.float32)
    if loss == "softmax_xent":
        labels = rng.integers(0, k, rows); y = np.eye(k, dtype=np.float32)[labels]
    elif loss == "mse":
        y = rng.normal(size=(rows, k)).astype(np.float32)
    else:
        y = rng.integers(0, 2, (rows, k)).astype(np.float32)
    state = {n: t.detach().numpy().copy() for n, t in model.state_dict().items() if t.dtype == torch.float32}
    paths = {n: os.path.join(tmp, n) for n in ("spec.json", "w.safetensors", "b.safetensors", "o.safetensors")}
    json.dump(spec, open(paths["spec.json"], "w"))
    st_save(paths["w.safetensors"], state)
    st_save(paths["b.safetensors"], {"x": x, "y": y})
    r = subprocess.run([CLI, "step", "--spec", paths["spec.json"], "--batch", paths["b.safetensors"],
                        "--load", paths["w.safetensors"], "--out", paths["o.safetensors"], "--update"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return [f"neurowire-cli step failed: {r.stderr.strip()}"]
    ours = st_load(paths["o.safetensors"])

    model.train()
    opt = torch_optimizer(model, train)
    out = model(torch.from_numpy(x))
    if loss == "bce": lt = nn.BCELoss()(out, torch.from_numpy(y))
    elif loss == "bce_logits": lt = nn.BCEWithLogitsLoss()(out, torch.from_numpy(y))
    elif loss == "softmax_xent": lt = nn.CrossEntropyLoss()(out, torch.from_numpy(labels))
    else: lt = nn.MSELoss()(out, torch.from_numpy(y))
    opt.zero_grad(); lt.backward()
    # A parameter behind a step gets no gradient at all in torch: zeros, as in neurowire.
    grads = {n: (p.grad.numpy().copy() if p.grad is not None else np.zeros(tuple(p.shape), np.float32))
             for n, p in model.named_parameters()}
    opt.step()
    after = {n: t.detach().numpy() for n, t in model.state_dict().items() if t.dtype == torch.float32}

    problems = []
    if not close(ours["output"], out.detach().numpy()): problems.append("output")
    if not close(ours["loss"], lt.item()): problems.append(f"loss {float(ours['loss'])} vs {lt.item()}")
    for n, g in grads.items():
        if not close(ours.get("grad." + n, np.zeros(0)), g): problems.append("grad." + n)
    for n, v in after.items():
        if not close(ours.get(n, np.zeros(0)), v): problems.append(n + " after the step")
    return problems


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, nodes, loss, d, k, train in CASES:
            problems = run_case(tmp, label, nodes, loss, d, k, train)
            if problems:
                failed += 1; print(f"FAIL {label}: {', '.join(problems)}")
            else:
                passed += 1; print(f"ok   {label}")
    print(f"torch-parity: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""PyTorch / numpy / scipy peer for bench/compute/run.ts: the same workloads, timed the same way (best wall ms).

Run with Debian's Python: /usr/bin/python3 bench/compute/torch_ref.py '<json config>' -> prints one JSON object.
"""
import json
import sys
import time

import numpy as np
import torch

cfg = json.loads(sys.argv[1])
torch.manual_seed(0)
rng = np.random.default_rng(0)


def best_ms(fn, iters, warmup=2):
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(iters):
        t = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best


def gemm(n):
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    iters = 30 if n <= 256 else 10 if n <= 1024 else 5
    ms = best_ms(lambda: torch.mm(a, b), iters)
    c0 = time.process_time()
    for _ in range(iters):
        torch.mm(a, b)
    out["gemmCpu"][str(n)] = 2 * n ** 3 * iters / (time.process_time() - c0) / 1e9
    return 2 * n ** 3 / (ms / 1000) / 1e9


def mlp_step(iters):
    net = torch.nn.Sequential(torch.nn.Linear(512, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 256))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(512, 512)
    y = torch.randn(512, 256)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()

    return best_ms(step, iters)


def sparse_batch(n_items, per_row, batch):
    """Zipf-popular items, per_row interactions on average: the same recipe as run.ts."""
    w = 1.0 / np.arange(1, n_items + 1) ** 0.8
    w /= w.sum()
    dense = np.zeros((batch, n_items), dtype=np.float32)
    for r in range(batch):
        k = max(1, int(rng.poisson(per_row)))
        dense[r, rng.choice(n_items, size=min(k, n_items), replace=False, p=w)] = 1.0
    return torch.from_numpy(dense)


def vae_step(n_items, per_row, iters, sparse_input):
    """One Mult-VAE step (Liang et al. 2018): n→600→(2×200)→600→n, tanh, dropout 0.5, β·KL, Adam."""
    x = sparse_batch(n_items, per_row, 500)
    q1 = torch.nn.Linear(n_items, 600)
    q2 = torch.nn.Linear(600, 400)
    p1 = torch.nn.Linear(200, 600)
    p2 = torch.nn.Linear(600, n_items)
    params = [*q1.parameters(), *q2.parameters(), *p1.parameters(), *p2.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        opt.zero_grad()
        h = torch.nn.functional.normalize(x)
        h = torch.nn.functional.dropout(h, 0.5, training=True)
        if sparse_input:
            hs = h.to_sparse()
            h = torch.tanh(torch.sparse.mm(hs, q1.weight.t()) + q1.bias)
        else:
            h = torch.tanh(q1(h))
        h = q2(h)
        mu, logvar = h[:, :200], h[:, 200:]
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = p2(torch.tanh(p1(z)))
        nll = -torch.mean(torch.sum(torch.log_softmax(logits, 1) * x, -1))
        kl = -0.5 * torch.mean(torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), -1))
        (nll + 0.2 * kl).backward()
        opt.step()

    return best_ms(step, iters)


def spd(n):
    import scipy.linalg.lapack as la

    a = rng.uniform(-1, 1, size=(n, n))
    a = (a + a.T) / 2
    a[np.diag_indices(n)] = n
    t = time.perf_counter()
    np.linalg.inv(a)
    numpy_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    c, info = la.dpotrf(a, lower=1, clean=0, overwrite_a=0)
    inv, info = la.dpotri(c, lower=1, overwrite_c=1)
    inv = np.tril(inv) + np.tril(inv, -1).T
    scipy_ms = (time.perf_counter() - t) * 1000
    return {"numpyInvMs": numpy_ms, "scipyPotriMs": scipy_ms}


out = {"torch": torch.__version__, "numpy": np.__version__, "gemm": {}, "gemmCpu": {}, "steps": {}, "spd": {}}
for n in cfg["gemm"]:
    out["gemm"][str(n)] = max(gemm(n) for _ in range(1))
for threads in cfg["torchThreads"]:
    torch.set_num_threads(threads)
    res = {"mlp": mlp_step(cfg["iters"])}
    for n_items, per_row in cfg["vae"]:
        res[f"vae{n_items}"] = min(vae_step(n_items, per_row, cfg["iters"], False), vae_step(n_items, per_row, cfg["iters"], True))
    out["steps"][str(threads)] = res
torch.set_num_threads(2)
for n in cfg["spd"]:
    out["spd"][str(n)] = spd(n)
print(json.dumps(out))

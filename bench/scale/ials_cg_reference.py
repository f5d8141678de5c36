"""
numpy/scipy reference for the iALS conjugate-gradient half-step (bench/scale): the same arithmetic as
native/src/ials.c — warm-started CG with `steps` iterations per row, frequency-scaled regularisation — but batched over
all rows at once with scipy.sparse products and numpy BLAS (as a Python implementation would be written).

Reads the users x items CSR written by bench/scale/fit.ts (indptr int32, indices int32, values float32 as raw files),
runs `epochs` epochs and prints one JSON line: per-epoch wall and CPU seconds (process_time: all threads).
Run with /usr/bin/python3 (Debian's numpy + scipy).
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp


def load(prefix, rows, cols):
    indptr = np.fromfile(prefix + ".indptr", dtype=np.int32)
    indices = np.fromfile(prefix + ".indices", dtype=np.int32)
    values = np.fromfile(prefix + ".values", dtype=np.float32)
    return sp.csr_matrix((values, indices, indptr), shape=(rows, cols))


def half_step(m, x, y, alpha, reg, nu, steps):
    """Every row of x solves (YtY + lam_r I + sum alpha v y y^T) x_r = sum (1 + alpha v) y, in place."""
    rows = m.shape[0]
    row_w = m.shape[1] + alpha * np.asarray(m.sum(axis=1)).ravel()
    lam = (reg * (row_w / row_w.mean()) ** nu).astype(np.float32)[:, None]
    gram = y.T @ y
    nnz_rows = np.repeat(np.arange(rows), np.diff(m.indptr))
    yg = y[m.indices]
    c1 = (alpha * m.data).astype(np.float32)

    def mul_a(v):
        d = c1 * np.einsum("ij,ij->i", yg, v[nnz_rows])
        s = sp.csr_matrix((d, m.indices, m.indptr), shape=m.shape)
        return v @ gram + lam * v + s @ y

    b = sp.csr_matrix(((1 + c1), m.indices, m.indptr), shape=m.shape) @ y
    r = b - mul_a(x)
    p = r.copy()
    rs = np.einsum("ij,ij->i", r, r)
    for _ in range(steps):
        ap = mul_a(p)
        pap = np.einsum("ij,ij->i", p, ap)
        step = np.where(pap > 0, rs / np.where(pap > 0, pap, 1), 0).astype(np.float32)[:, None]
        x += step * p
        r -= step * ap
        rs_new = np.einsum("ij,ij->i", r, r)
        beta = np.where(rs > 1e-20, rs_new / np.where(rs > 1e-20, rs, 1), 0).astype(np.float32)[:, None]
        p = r + beta * p
        rs = rs_new


def main():
    prefix, rows, cols, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    factors, reg, alpha, nu, steps = 64, 40.0, 5.0, 1.0, 3
    ui = load(prefix, rows, cols)
    iu = ui.T.tocsr()
    rng = np.random.default_rng(1)
    u = (rng.standard_normal((rows, factors)) * 0.01).astype(np.float32)
    it = (rng.standard_normal((cols, factors)) * 0.01).astype(np.float32)
    out = []
    for _ in range(epochs):
        w0, c0 = time.perf_counter(), time.process_time()
        half_step(ui, u, it, alpha, reg, nu, steps)
        half_step(iu, it, u, alpha, reg, nu, steps)
        out.append({"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0})
    print(json.dumps({"nnz": int(ui.nnz), "epochs": out, "finite": bool(np.isfinite(u).all() and np.isfinite(it).all())}))


if __name__ == "__main__":
    main()

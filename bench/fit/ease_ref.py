"""NumPy/SciPy EASE reference for bench/fit: same generated shape (users, items, nnz per user), fit seconds.
Usage: /usr/bin/python3 bench/fit/ease_ref.py N_ITEMS N_USERS PER_USER LAMBDA  → prints seconds as JSON."""
import json, sys, time
import numpy as np
import scipy.sparse as sp

n_items, n_users, per_user, lam = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rng = np.random.default_rng(1)
p = 1.0 / np.arange(1, n_items + 1) ** 0.8
p /= p.sum()
rows = np.repeat(np.arange(n_users), per_user)
cols = rng.choice(n_items, size=n_users * per_user, p=p)
X = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n_users, n_items))
X.data[:] = 1.0
t0 = time.perf_counter()
c0 = time.process_time()
G = (X.T @ X).toarray()
G[np.diag_indices(n_items)] += lam
P = np.linalg.inv(G)
B = P / (-np.diag(P))
B[np.diag_indices(n_items)] = 0
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "nnz": int(X.nnz)}))

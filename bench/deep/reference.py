#!/usr/bin/python3
"""Reference Mult-VAE / Mult-DAE in PyTorch (Liang et al., WWW 2018) trained on a split exported by
bench/deep/export-split.ts, scored with the harness's NDCG@k (binary relevance, full ranking over items not in the
user's training row, ideal DCG over min(k, |test|)).

Same settings as src/models/mult-vae.ts: items-600-200-600-items, tanh, Xavier-uniform weights, zero biases, dropout
0.5 on the L2-normalised input, Adam lr 1e-3, batch 500, KL annealed linearly to 0.2 over all updates (VAE),
L2 4e-5 through Adam's weight decay (DAE).

Usage: /usr/bin/python3 bench/deep/reference.py /tmp/lw-split [vae|dae] [epochs=70] [seed=1]
"""
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import sparse


def load(folder):
    users, items = map(int, open(f"{folder}/shape.txt").read().split())

    def mat(name):
        a = np.loadtxt(f"{folder}/{name}", delimiter=",", ndmin=2)
        return sparse.csr_matrix((a[:, 2], (a[:, 0].astype(int), a[:, 1].astype(int))), shape=(users, items))

    return mat("train.csv"), mat("test.csv")


class Net(torch.nn.Module):
    def __init__(self, n, vae, hidden=600, latent=200):
        super().__init__()
        self.vae = vae
        self.latent = latent
        self.enc = torch.nn.Linear(n, hidden)
        self.enc_out = torch.nn.Linear(hidden, 2 * latent if vae else latent)
        self.dec = torch.nn.Linear(latent, hidden)
        self.dec_out = torch.nn.Linear(hidden, n)
        for layer in (self.enc, self.enc_out, self.dec, self.dec_out):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)

    def forward(self, x, training):
        h = F.normalize(x, dim=1)
        if training:
            h = F.dropout(h, 0.5, training=True)
        h = torch.tanh(self.enc(h))
        q = self.enc_out(h)
        kl = None
        if self.vae:
            mu, logvar = q[:, : self.latent], q[:, self.latent :]
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if training else mu
            kl = torch.mean(torch.sum(-0.5 * (1 + logvar - mu**2 - torch.exp(logvar)), dim=1))
        else:
            z = torch.tanh(q)
        return self.dec_out(torch.tanh(self.dec(z))), kl


def ndcg(scores, train, test, k=10):
    scores = scores.copy()
    scores[train.nonzero()] = -np.inf
    out = []
    disc = 1 / np.log2(np.arange(2, k + 2))
    for u in range(test.shape[0]):
        rel = set(test[u].indices)
        if not rel:
            continue
        top = np.argpartition(-scores[u], k)[:k]
        top = top[np.argsort(-scores[u][top])]
        dcg = sum(disc[r] for r, i in enumerate(top) if i in rel)
        out.append(dcg / disc[: min(k, len(rel))].sum())
    return float(np.mean(out))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lw-split"
    kind = sys.argv[2] if len(sys.argv) > 2 else "vae"
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 70
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(2)
    train, test = load(folder)
    x_all = torch.tensor(train.toarray(), dtype=torch.float32)
    active = np.flatnonzero(np.diff(train.indptr) > 0)
    vae = kind == "vae"
    net = Net(train.shape[1], vae)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=0.0 if vae else 4e-5)
    batch = 500
    total = epochs * int(np.ceil(len(active) / batch))
    step = 0
    t0 = time.time()
    for _ in range(epochs):
        net.train()
        perm = np.random.permutation(active)
        for s in range(0, len(perm), batch):
            x = x_all[perm[s : s + batch]]
            logits, kl = net(x, True)
            loss = -torch.mean(torch.sum(F.log_softmax(logits, 1) * x, 1))
            if kl is not None:
                loss = loss + min(0.2, step / total) * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
    seconds = time.time() - t0
    net.eval()
    with torch.no_grad():
        scores = net(x_all, False)[0].numpy()
    print(f"reference mult-{kind} epochs {epochs} seed {seed}: NDCG@10 {ndcg(scores, train, test):.4f}, fit {seconds:.1f} s")


if __name__ == "__main__":
    main()

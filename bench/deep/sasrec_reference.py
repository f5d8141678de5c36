#!/usr/bin/python3
"""Reference SASRec in PyTorch (Kang & McAuley, ICDM 2018; full softmax cross-entropy as in Klenitskiy & Vasilev,
RecSys 2023), the same network as src/models/sasrec-net.ts, trained on sequences exported by
bench/deep/export-sequences.ts and scored like the TypeScript harness (leave-one-out, full ranking over items not in
the user's training sequence, NDCG@10 / HR@10 with one relevant item).

Same settings as src/models/sasrec.ts: item and position embeddings N(0, 1/d), items scaled by sqrt(d); pre-norm
blocks (LayerNorm eps 1e-8) of causal single/multi-head attention with q/k/v/out projections (Xavier-uniform weights,
zero biases) and a d->d->d GELU feed-forward layer, dropout on the embedding sum, the attention output, inside and
after the feed-forward layer; padding zeroed after every block; final LayerNorm; tied output layer; windows of maxLen
inputs cut from each sequence's end, left-padded, shuffled per epoch; Adam (lr 1e-3), batch 64.

Usage: /usr/bin/python3 bench/deep/sasrec_reference.py DIR [epochs=30] [seed=1] [dim=64] [blocks=2] [maxLen=50] [negatives=0]
(negatives > 0: sampled softmax over the batch's distinct targets plus that many uniform items, as in sasrec.ts.)
Prints one line per epoch (seconds, loss) and a final JSON line.
"""
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln1 = torch.nn.LayerNorm(d, eps=1e-8)
        self.q, self.k, self.v, self.o = (torch.nn.Linear(d, d) for _ in range(4))
        self.ln2 = torch.nn.LayerNorm(d, eps=1e-8)
        self.ff1, self.ff2 = torch.nn.Linear(d, d), torch.nn.Linear(d, d)
        for lin in (self.q, self.k, self.v, self.o, self.ff1, self.ff2):
            torch.nn.init.xavier_uniform_(lin.weight)
            torch.nn.init.zeros_(lin.bias)


class Sasrec(torch.nn.Module):
    def __init__(self, n_items, d, blocks, heads, max_len, p):
        super().__init__()
        self.d, self.heads, self.max_len, self.p = d, heads, max_len, p
        self.items = torch.nn.Parameter(torch.randn(n_items, d) / math.sqrt(d))
        self.positions = torch.nn.Parameter(torch.randn(max_len, d) / math.sqrt(d))
        self.blocks = torch.nn.ModuleList(Block(d) for _ in range(blocks))
        self.ln_out = torch.nn.LayerNorm(d, eps=1e-8)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)))

    def forward(self, tokens):  # tokens [B, L], -1 = padding
        b, l = tokens.shape
        valid = tokens >= 0
        mask = valid.unsqueeze(-1).float()
        x = self.items[tokens.clamp(min=0)] * math.sqrt(self.d) + self.positions[:l]
        x = F.dropout(x, self.p, self.training) * mask
        see = self.causal[:l, :l].unsqueeze(0) & valid.unsqueeze(1)  # [B, Lq, Lk]
        dh = self.d // self.heads
        for blk in self.blocks:
            h = blk.ln1(x)
            q, k, v = (f(h).view(b, l, self.heads, dh).transpose(1, 2) for f in (blk.q, blk.k, blk.v))
            s = q @ k.transpose(-1, -2) / math.sqrt(dh)
            s = s.masked_fill(~see.unsqueeze(1), float("-inf"))
            a = torch.nan_to_num(torch.softmax(s, dim=-1), nan=0.0)  # rows with no visible key -> zeros
            a = (a @ v).transpose(1, 2).reshape(b, l, self.d)
            x = x + F.dropout(blk.o(a), self.p, self.training)
            f = blk.ff2(F.dropout(F.gelu(blk.ff1(blk.ln2(x))), self.p, self.training))
            x = (x + F.dropout(f, self.p, self.training)) * mask
        return self.ln_out(x)


def windows(seqs, max_len):
    out = []
    for s in seqs:
        end = len(s) - 1
        while end > 0:
            out.append((s, max(0, end - max_len), end))
            end -= max_len
    return out


def pack(batch, l):
    tokens = np.full((len(batch), l), -1, dtype=np.int64)
    labels = np.full((len(batch), l), -1, dtype=np.int64)
    for b, (s, start, end) in enumerate(batch):
        n = end - start
        tokens[b, l - n :] = s[start:end]
        labels[b, l - n :] = s[start + 1 : end + 1]
    return torch.from_numpy(tokens), torch.from_numpy(labels)


def main():
    folder = sys.argv[1]
    defaults = ["30", "1", "64", "2", "50", "0"]
    epochs, seed, d, blocks, max_len, negatives = (int(x) for x in (sys.argv[2:] + defaults[len(sys.argv) - 2 :])[:6])
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    torch.set_num_threads(int(__import__("os").environ.get("LAYERWISE_THREADS", "1")))
    n_users, n_items = map(int, open(f"{folder}/shape.txt").read().split())
    seqs = [np.array([int(x) for x in line.split()], dtype=np.int64) for line in open(f"{folder}/train.txt").read().split("\n")[:n_users]]
    test = np.loadtxt(f"{folder}/test.csv", delimiter=",", dtype=np.int64, ndmin=2)
    model = Sasrec(n_items, d, blocks, 1, max_len, 0.2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    wins = windows(seqs, max_len)
    times, cpu = [], []
    for epoch in range(epochs):
        model.train()
        t0, c0 = time.perf_counter(), time.process_time()
        order = rng.permutation(len(wins))
        total, count = 0.0, 0
        for s in range(0, len(wins), 64):
            tokens, labels = pack([wins[i] for i in order[s : s + 64]], max_len)
            opt.zero_grad()
            h = model(tokens)
            sel = labels >= 0
            if negatives > 0:
                cand = torch.unique(torch.cat([labels[sel], torch.randint(n_items, (negatives,))]))
                loss = F.cross_entropy(h[sel] @ model.items[cand].T, torch.searchsorted(cand, labels[sel]))
            else:
                loss = F.cross_entropy(h[sel] @ model.items.T, labels[sel])
            loss.backward()
            opt.step()
            total += loss.item() * int(sel.sum())
            count += int(sel.sum())
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        print(f"epoch {epoch + 1} loss {total / max(count, 1):.4f} {times[-1]:.2f} s (cpu {cpu[-1]:.2f} s)", flush=True)
    model.eval()
    hits, ndcgs = [], []
    with torch.no_grad():
        for u, item in test:
            s = seqs[u][-max_len:]
            tokens = torch.full((1, max_len), -1, dtype=torch.int64)
            tokens[0, max_len - len(s) :] = torch.from_numpy(s)
            scores = (model(tokens)[0, -1] @ model.items.T).numpy()
            scores[seqs[u]] = -np.inf
            rank = int((scores > scores[item]).sum())
            hits.append(1.0 if rank < 10 else 0.0)
            ndcgs.append(1.0 / math.log2(rank + 2) if rank < 10 else 0.0)
    print(json.dumps({"negatives": negatives, "epochs": epochs, "secondsPerEpoch": float(np.median(times)), "cpuSecondsPerEpoch": float(np.median(cpu)) if cpu else None, "hr10": float(np.mean(hits)), "ndcg10": float(np.mean(ndcgs)), "users": len(test)}))


if __name__ == "__main__":
    main()

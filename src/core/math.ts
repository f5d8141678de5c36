/** Small typed-array helpers shared by every layer. Hot loops stay in the modules that own them. */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Scales `a` in place to unit L2 norm (a zero vector is left as is). Returns `a`. */
export function normalizeInPlace<T extends Float32Array | Float64Array>(a: T): T {
  const n = norm(a);
  if (n > 0) for (let i = 0; i < a.length; i++) a[i] = a[i]! / n;
  return a;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a);
  const nb = norm(b);
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}

export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

export function mean(a: ArrayLike<number>): number {
  return a.length === 0 ? 0 : sum(a) / a.length;
}

/** Indices of the k largest values, best first (ties broken by lower index). Skips indices where `skip` is true. */
export function topK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): number[] {
  if (k <= 0) return [];
  const heapIdx: number[] = [];
  const better = (i: number, j: number): boolean => scores[i]! > scores[j]! || (scores[i] === scores[j] && i < j);
  // no destructuring swap: it allocates a pair per swap (~30 KB of garbage per call over 5k scores)
  const swap = (a: number, b: number): void => {
    const t = heapIdx[a]!;
    heapIdx[a] = heapIdx[b]!;
    heapIdx[b] = t;
  };
  // min-heap on "better": root is the worst of the kept ones
  const siftUp = (p: number): void => {
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (better(heapIdx[parent]!, heapIdx[p]!)) {
        swap(parent, p);
        p = parent;
      } else break;
    }
  };
  const siftDown = (p: number): void => {
    const n = heapIdx.length;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let w = p;
      if (l < n && better(heapIdx[w]!, heapIdx[l]!)) w = l;
      if (r < n && better(heapIdx[w]!, heapIdx[r]!)) w = r;
      if (w === p) return;
      swap(w, p);
      p = w;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (Number.isNaN(v) || v === Number.NEGATIVE_INFINITY) continue;
    if (skip?.(i)) continue;
    if (heapIdx.length < k) {
      heapIdx.push(i);
      siftUp(heapIdx.length - 1);
    } else if (better(i, heapIdx[0]!)) {
      heapIdx[0] = i;
      siftDown(0);
    }
  }
  return heapIdx.sort((i, j) => (better(i, j) ? -1 : 1));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

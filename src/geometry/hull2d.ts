/**
 * 2D convex hull of many points (Andrew's monotone chain, after an Akl–Toussaint octagon filter that drops the
 * points strictly inside the eight extreme points, so only a small set is sorted). Used by the build-volume fit:
 * the footprint of a part under any rotation about Z is that of its hull.
 */

const cross = (ox: number, oy: number, ax: number, ay: number, bx: number, by: number): number =>
  (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);

function consider(best: Float64Array, arg: Int32Array, d: number, s: number, i: number): void {
  if (s > best[d]!) {
    best[d] = s;
    arg[d] = i;
  }
}

/**
 * Convex hull of points (xs[i], ys[i]) as a flat [x0, y0, x1, y1, …] in counter-clockwise order (collinear points
 * dropped). Fewer than three distinct points give those points.
 */
export function convexHull2d(xs: ArrayLike<number>, ys: ArrayLike<number>): Float64Array {
  const n = xs.length;
  if (n === 0) return new Float64Array(0);
  // Extreme points in 8 directions, in counter-clockwise direction order: +x, +x+y, +y, −x+y, −x, −x−y, −y, +x−y.
  const best = new Float64Array(8).fill(Number.NEGATIVE_INFINITY);
  const arg = new Int32Array(8);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    consider(best, arg, 0, x, i);
    consider(best, arg, 1, x + y, i);
    consider(best, arg, 2, y, i);
    consider(best, arg, 3, y - x, i);
    consider(best, arg, 4, -x, i);
    consider(best, arg, 5, -x - y, i);
    consider(best, arg, 6, -y, i);
    consider(best, arg, 7, x - y, i);
  }
  const poly: number[] = [];
  for (let d = 0; d < 8; d++) {
    const x = xs[arg[d]!]!;
    const y = ys[arg[d]!]!;
    const m = poly.length;
    if (m >= 2 && poly[m - 2] === x && poly[m - 1] === y) continue;
    poly.push(x, y);
  }
  if (poly.length >= 4 && poly[0] === poly[poly.length - 2] && poly[1] === poly[poly.length - 1]) poly.length -= 2;
  const k = poly.length / 2;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    let inside = k >= 3;
    for (let e = 0; e < k && inside; e++) {
      const f = (e + 1) % k;
      if (cross(poly[2 * e]!, poly[2 * e + 1]!, poly[2 * f]!, poly[2 * f + 1]!, x, y) <= 0) inside = false;
    }
    if (!inside) keep.push(i);
  }
  keep.sort((a, b) => xs[a]! - xs[b]! || ys[a]! - ys[b]!);
  const m = keep.length;
  const hx = new Float64Array(2 * m + 1);
  const hy = new Float64Array(2 * m + 1);
  let h = 0;
  const push = (i: number, floor: number): void => {
    const x = xs[i]!;
    const y = ys[i]!;
    while (h >= floor + 2 && cross(hx[h - 2]!, hy[h - 2]!, hx[h - 1]!, hy[h - 1]!, x, y) <= 0) h--;
    hx[h] = x;
    hy[h] = y;
    h++;
  };
  for (let t = 0; t < m; t++) push(keep[t]!, 0);
  const lower = h - 1;
  for (let t = m - 2; t >= 0; t--) push(keep[t]!, lower);
  h = Math.max(1, h - 1); // the last point repeats the first
  const out = new Float64Array(2 * h);
  for (let i = 0; i < h; i++) {
    out[2 * i] = hx[i]!;
    out[2 * i + 1] = hy[i]!;
  }
  return out;
}

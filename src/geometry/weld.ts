/**
 * Vertex welding with a tolerance: a spatial hash on typed arrays (no per-vertex objects). Vertices closer than
 * `toleranceMm` (Euclidean) to an earlier kept vertex are merged into it (greedy, in first-use order). Cells are 32 × the
 * tolerance wide, so a vertex looks at its own cell and only at the neighbouring cells it is within tolerance of
 * (usually just one cell). An exact pass (hash on the float bits) runs first, so the tolerance pass only sees
 * distinct positions — for STL, a sixth of the corners. With tolerance 0 only bit-identical coordinates merge
 * (and -0 equals +0).
 * Unreferenced vertices are dropped; the result holds only the vertices the triangles use.
 */

export interface WeldResult {
  /** Welded vertex positions (x, y, z per vertex), only referenced vertices. */
  positions: Float32Array;
  /** Triangle indices into `positions` (same triangle order and count as the input). */
  indices: Uint32Array;
  /** For each input vertex, its welded index (0xffffffff when unreferenced). */
  remap: Uint32Array;
}

const UNSET = 0xffffffff;
const EMPTY = -1;
/** Cell width in tolerances; a vertex within 1/CELL of a cell wall also checks the neighbour. */
const CELL = 32;
const EDGE = 1 / CELL;
const NEG_ZERO = -2147483648; // bit pattern of -0 as int32

/** Hash of three int32 keys with avalanche between them (sign flips and swaps of x, y must not collide). */
function cellHash(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ y, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13) ^ z, 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Open-addressing table from int32 cell triples to the head of that cell's vertex list; grows at load ½. */
class CellTable {
  /** Stride 4: cx, cy, cz, head (head = EMPTY marks a free slot). */
  private slots: Int32Array;
  private mask: number;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * 4).fill(EMPTY);
    this.mask = cap - 1;
  }

  /** Offset of the cell's slot, or of the free slot where it would go (then `head` is EMPTY). */
  slot(cx: number, cy: number, cz: number): number {
    const t = this.slots;
    let s = cellHash(cx, cy, cz) & this.mask;
    for (;;) {
      const o = s << 2;
      if (t[o + 3] === EMPTY || (t[o] === cx && t[o + 1] === cy && t[o + 2] === cz)) return o;
      s = (s + 1) & this.mask;
    }
  }

  head(o: number): number {
    return this.slots[o + 3]!;
  }

  setHead(o: number, v: number): void {
    this.slots[o + 3] = v;
  }

  /** Fills the free slot `o` (from `slot`) with a new cell; offsets from before are invalid afterwards. */
  claim(o: number, cx: number, cy: number, cz: number, v: number): void {
    const t = this.slots;
    t[o] = cx;
    t[o + 1] = cy;
    t[o + 2] = cz;
    t[o + 3] = v;
    if (++this.size * 2 > this.mask + 1) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.mask = old.length / 2 - 1;
    const t = this.slots;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 3] === EMPTY) continue;
      let s = cellHash(old[o]!, old[o + 1]!, old[o + 2]!) & this.mask;
      while (t[(s << 2) + 3] !== EMPTY) s = (s + 1) & this.mask;
      t.set(old.subarray(o, o + 4), s << 2);
    }
  }
}

/**
 * Exact pass: one id per distinct bit pattern (−0 read as +0), numbered in first-use order. `ids[t]` is the id of
 * index slot t; `uniq` holds each id's position.
 */
function exactIds(
  positions: Float32Array,
  indices: Uint32Array,
): { ids: Uint32Array; uniq: Float32Array; count: number; seen: Int32Array } {
  const bits = new Int32Array(positions.buffer, positions.byteOffset, positions.length);
  const seen = new Int32Array(positions.length / 3).fill(EMPTY);
  const ids = new Uint32Array(indices.length);
  // Open addressing on ids only (4 bytes a slot, cache-friendly); keys are compared in `ub`, the bits of `uniq`.
  let cap = 1024;
  while (cap < indices.length / 3) cap *= 2;
  let mask = cap - 1;
  let table = new Int32Array(cap).fill(EMPTY);
  let uniq = new Float32Array(Math.max(48, 3 * Math.ceil(indices.length / 6)));
  let ub = new Int32Array(uniq.buffer);
  let count = 0;
  for (let t = 0; t < indices.length; t++) {
    const v = indices[t]!;
    let e = seen[v]!;
    if (e === EMPTY) {
      let bx = bits[3 * v]!;
      let by = bits[3 * v + 1]!;
      let bz = bits[3 * v + 2]!;
      if (bx === NEG_ZERO) bx = 0;
      if (by === NEG_ZERO) by = 0;
      if (bz === NEG_ZERO) bz = 0;
      let s = cellHash(bx, by, bz) & mask;
      for (;;) {
        const id = table[s]!;
        if (id === EMPTY) break;
        if (ub[3 * id] === bx && ub[3 * id + 1] === by && ub[3 * id + 2] === bz) {
          e = id;
          break;
        }
        s = (s + 1) & mask;
      }
      if (e === EMPTY) {
        e = count++;
        table[s] = e;
        if (3 * count > uniq.length) {
          const grown = new Float32Array(uniq.length * 2);
          grown.set(uniq);
          uniq = grown;
          ub = new Int32Array(uniq.buffer);
        }
        ub[3 * e] = bx;
        ub[3 * e + 1] = by;
        ub[3 * e + 2] = bz;
        if (count * 2 > cap) {
          cap *= 2;
          mask = cap - 1;
          table = new Int32Array(cap).fill(EMPTY);
          for (let id = 0; id < count; id++) {
            let q = cellHash(ub[3 * id]!, ub[3 * id + 1]!, ub[3 * id + 2]!) & mask;
            while (table[q] !== EMPTY) q = (q + 1) & mask;
            table[q] = id;
          }
        }
      }
      seen[v] = e;
    }
    ids[t] = e;
  }
  return { ids, uniq, count, seen };
}

/** Tolerance pass over distinct positions: welded index of each (greedy, in order). */
function toleranceIds(
  pts: Float32Array,
  n: number,
  tol: number,
): { map: Uint32Array; out: Float32Array; count: number } {
  const map = new Uint32Array(n);
  const table = new CellTable(n / 2);
  const next = new Int32Array(n);
  const out = new Float32Array(n * 3);
  const tol2 = tol * tol;
  const inv = 1 / (CELL * tol);
  let count = 0;
  const search = (cx: number, cy: number, cz: number, x: number, y: number, z: number): number => {
    const o = table.slot(cx, cy, cz);
    for (let w = table.head(o); w !== EMPTY; w = next[w]!) {
      const dx = out[3 * w]! - x;
      const dy = out[3 * w + 1]! - y;
      const dz = out[3 * w + 2]! - z;
      if (dx * dx + dy * dy + dz * dz <= tol2) return w;
    }
    return -1;
  };
  for (let i = 0; i < n; i++) {
    const x = pts[3 * i]!;
    const y = pts[3 * i + 1]!;
    const z = pts[3 * i + 2]!;
    const fx = x * inv;
    const fy = y * inv;
    const fz = z * inv;
    const cx = Math.floor(fx) | 0;
    const cy = Math.floor(fy) | 0;
    const cz = Math.floor(fz) | 0;
    let hit = search(cx, cy, cz, x, y, z);
    if (hit < 0) {
      // Which neighbour cell (if any) lies within tolerance on each axis: -1, 0 or +1.
      const ox = fx - cx < EDGE ? -1 : fx - cx > 1 - EDGE ? 1 : 0;
      const oy = fy - cy < EDGE ? -1 : fy - cy > 1 - EDGE ? 1 : 0;
      const oz = fz - cz < EDGE ? -1 : fz - cz > 1 - EDGE ? 1 : 0;
      for (let k = 1; k < 8 && hit < 0; k++) {
        if ((k & 1 && !ox) || (k & 2 && !oy) || (k & 4 && !oz)) continue;
        hit = search(cx + (k & 1 ? ox : 0), cy + (k & 2 ? oy : 0), cz + (k & 4 ? oz : 0), x, y, z);
      }
    }
    if (hit >= 0) {
      map[i] = hit;
      continue;
    }
    const o = table.slot(cx, cy, cz);
    if (table.head(o) === EMPTY) {
      next[count] = EMPTY;
      table.claim(o, cx, cy, cz, count);
    } else {
      next[count] = table.head(o);
      table.setHead(o, count);
    }
    out[3 * count] = x;
    out[3 * count + 1] = y;
    out[3 * count + 2] = z;
    map[i] = count++;
  }
  return { map, out, count };
}

/** Welds `positions`/`indices` (see module comment). `toleranceMm` must be ≥ 0 and finite. */
export function weldVertices(positions: Float32Array, indices: Uint32Array, toleranceMm: number): WeldResult {
  const exact = exactIds(positions, indices);
  // `seen` holds -1 for unreferenced vertices: read as uint32 that is UNSET.
  const remap = new Uint32Array(exact.seen.buffer);
  if (!(toleranceMm > 0)) {
    return { positions: exact.uniq.subarray(0, 3 * exact.count), indices: exact.ids, remap };
  }
  const tol = toleranceIds(exact.uniq, exact.count, toleranceMm);
  const welded = exact.ids;
  for (let t = 0; t < welded.length; t++) welded[t] = tol.map[welded[t]!]!;
  for (let v = 0; v < remap.length; v++) if (remap[v] !== UNSET) remap[v] = tol.map[remap[v]!]!;
  return { positions: tol.out.subarray(0, 3 * tol.count), indices: welded, remap };
}

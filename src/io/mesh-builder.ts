/**
 * Growable typed arrays and a `MeshBuilder` that text parsers fill vertex by vertex: it enforces the vertex and
 * triangle limits, tracks groups, fan-triangulates polygons, applies the unit and finishes the `Mesh`.
 */
import type { Mesh, MeshFormat, MeshGroup } from '../core/mesh.js';
import { checkLimit, type ResolvedParseOptions } from './parse-options.js';
import { WarningSink } from './warnings.js';

export class F32Builder {
  data: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float32Array(Math.max(16, capacity));
  }
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) this.grow(this.length + 3);
    const d = this.data;
    const n = this.length;
    d[n] = a;
    d[n + 1] = b;
    d[n + 2] = c;
    this.length = n + 3;
  }
  private grow(min: number): void {
    const next = new Float32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  toArray(): Float32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

export class U32Builder {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) this.grow(this.length + 3);
    const d = this.data;
    const n = this.length;
    d[n] = a;
    d[n + 1] = b;
    d[n + 2] = c;
    this.length = n + 3;
  }
  private grow(min: number): void {
    const next = new Uint32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  toArray(): Uint32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

export class MeshBuilder {
  readonly positions: F32Builder;
  readonly indices: U32Builder;
  readonly warnings = new WarningSink();
  private readonly groups: MeshGroup[] = [];
  private open: { name: string; start: number } | undefined;
  private vertexCount = 0;
  private triCount = 0;

  constructor(
    private readonly options: ResolvedParseOptions,
    vertexHint = 1024,
    triangleHint = 1024,
    inputBytes = Number.POSITIVE_INFINITY,
  ) {
    checkLimit(vertexHint, options.maxVertices, 'declared vertex count', 'maxVertices');
    checkLimit(triangleHint, options.maxTriangles, 'declared face count', 'maxTriangles');
    // Declared counts are only hints: never preallocate more than the input could possibly hold.
    const cap = Math.min(1 << 24, inputBytes);
    this.positions = new F32Builder(3 * Math.min(vertexHint, cap));
    this.indices = new U32Builder(3 * Math.min(triangleHint, cap));
  }

  get vertices(): number {
    return this.vertexCount;
  }

  get triangles(): number {
    return this.triCount;
  }

  addVertex(x: number, y: number, z: number): void {
    if (++this.vertexCount > this.options.maxVertices) {
      checkLimit(this.vertexCount, this.options.maxVertices, 'vertex count', 'maxVertices');
    }
    this.positions.push3(x, y, z);
  }

  addTriangle(a: number, b: number, c: number): void {
    if (++this.triCount > this.options.maxTriangles) {
      checkLimit(this.triCount, this.options.maxTriangles, 'triangle count', 'maxTriangles');
    }
    this.indices.push3(a, b, c);
  }

  /** Fan-triangulates polygon `poly[0..n)` (n ≥ 3); shorter faces are skipped with a warning. */
  addPolygon(poly: ArrayLike<number>, n: number): void {
    if (n < 3) {
      this.warnings.add('short_face', `a face with ${n} vertices was skipped (faces need at least 3)`);
      return;
    }
    for (let k = 1; k + 1 < n; k++) this.addTriangle(poly[0]!, poly[k]!, poly[k + 1]!);
  }

  /** Starts a named group; the previous one ends here (empty groups are dropped). */
  startGroup(name: string): void {
    this.endGroup();
    this.open = { name, start: this.triCount };
  }

  endGroup(): void {
    if (this.open && this.triCount > this.open.start) {
      this.groups.push({ name: this.open.name, start: this.open.start, count: this.triCount - this.open.start });
    }
    this.open = undefined;
  }

  /** Builds the mesh: unit applied, groups closed, degenerate faces counted into warnings. */
  finish(format: MeshFormat, extraUnitScale = 1): Mesh {
    this.endGroup();
    const positions = this.positions.toArray();
    const scale = this.options.unitScale * extraUnitScale;
    if (scale !== 1) for (let i = 0; i < positions.length; i++) positions[i] = positions[i]! * scale;
    const indices = this.indices.toArray();
    const degenerate = countDegenerate(positions, indices);
    if (degenerate > 0)
      this.warnings.add('degenerate_face', 'a face has zero area (repeated or collinear vertices)', degenerate);
    return { positions, indices, groups: this.groups, format, warnings: this.warnings.list() };
  }
}

/** Number of zero-area triangles (repeated index or exactly collinear vertices). */
export function countDegenerate(p: Float32Array, idx: Uint32Array): number {
  let n = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = idx[t]!;
    const b = idx[t + 1]!;
    const c = idx[t + 2]!;
    if (a === b || b === c || a === c) {
      n++;
      continue;
    }
    const a3 = 3 * a;
    const b3 = 3 * b;
    const c3 = 3 * c;
    const ux = p[b3]! - p[a3]!;
    const uy = p[b3 + 1]! - p[a3 + 1]!;
    const uz = p[b3 + 2]! - p[a3 + 2]!;
    const vx = p[c3]! - p[a3]!;
    const vy = p[c3 + 1]! - p[a3 + 1]!;
    const vz = p[c3 + 2]! - p[a3 + 2]!;
    if (uy * vz - uz * vy === 0 && uz * vx - ux * vz === 0 && ux * vy - uy * vx === 0) n++;
  }
  return n;
}

/**
 * The constructive-solid-geometry kernel of the demo library: manifold-3d (WASM), loaded once. Manifold objects live
 * in the WASM heap and are not garbage-collected, so every shape is built inside `withArena`, which records each
 * Manifold/CrossSection created while it runs and deletes them all afterwards.
 */
import Module, { type CrossSection, type Manifold, type ManifoldToplevel } from 'manifold-3d';
import { LayerwiseError } from '../core/errors.js';

export type Kernel = ManifoldToplevel;
export type Solid = Manifold;
export type Section = CrossSection;

interface Deletable {
  delete(): void;
}

let loading: Promise<Kernel> | undefined;
let arena: Set<Deletable> | undefined;

const MANIFOLD_METHODS = [
  'add',
  'subtract',
  'intersect',
  'transform',
  'translate',
  'rotate',
  'scale',
  'mirror',
  'warp',
  'hull',
  'refine',
  'refineToLength',
  'smoothOut',
  'trimByPlane',
  'simplify',
  'asOriginal',
  'slice',
  'project',
  'decompose',
  'split',
  'splitByPlane',
] as const;
const MANIFOLD_STATICS = [
  'cube',
  'cylinder',
  'sphere',
  'extrude',
  'revolve',
  'union',
  'difference',
  'intersection',
  'hull',
  'compose',
  'ofMesh',
  'tetrahedron',
  'levelSet',
] as const;
const SECTION_METHODS = [
  'extrude',
  'revolve',
  'transform',
  'translate',
  'rotate',
  'scale',
  'mirror',
  'offset',
  'simplify',
  'add',
  'subtract',
  'intersect',
  'hull',
  'warp',
  'decompose',
] as const;
const SECTION_STATICS = ['square', 'circle', 'union', 'difference', 'intersection', 'hull', 'compose', 'ofPolygons'];

function track<T>(value: T): T {
  if (arena === undefined) return value;
  if (Array.isArray(value)) for (const v of value) track(v);
  else if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as unknown as Deletable).delete === 'function'
  ) {
    arena.add(value as unknown as Deletable);
  }
  return value;
}

function wrap(target: object, names: readonly string[]): void {
  const t = target as Record<string, unknown>;
  for (const name of names) {
    const original = t[name];
    if (typeof original !== 'function') continue;
    t[name] = function (this: unknown, ...args: unknown[]) {
      return track((original as (...a: unknown[]) => unknown).apply(this, args));
    };
  }
}

/** Loads and sets up manifold-3d once per process (about 25 ms); later calls share the instance. */
export function loadKernel(): Promise<Kernel> {
  loading ??= (async () => {
    const k = await Module();
    k.setup();
    // Instances come from the embind classes, whose prototypes differ from the exported wrappers': patch both.
    const cube = k.Manifold.cube([1, 1, 1]);
    const square = k.CrossSection.square([1, 1]);
    for (const proto of new Set([k.Manifold.prototype, Object.getPrototypeOf(cube)])) wrap(proto, MANIFOLD_METHODS);
    for (const proto of new Set([k.CrossSection.prototype, Object.getPrototypeOf(square)]))
      wrap(proto, SECTION_METHODS);
    cube.delete();
    square.delete();
    wrap(k.Manifold as unknown as Record<string, unknown>, MANIFOLD_STATICS);
    wrap(k.CrossSection as unknown as Record<string, unknown>, SECTION_STATICS);
    return k;
  })();
  return loading;
}

/** Runs `fn`, then frees every Manifold and CrossSection it created. Results must be copied out (e.g. `solidToMesh`). */
export function withArena<T>(fn: () => T): T {
  if (arena !== undefined) throw new LayerwiseError('internal', 'withArena: arenas do not nest');
  arena = new Set();
  const owned = arena;
  try {
    return fn();
  } finally {
    arena = undefined;
    for (const obj of owned) obj.delete();
  }
}

/** Triangles of a solid as flat arrays (positions in mm), moved so it sits on z = 0 centred at `offsetX`, 0. */
export function solidToArrays(solid: Solid, offsetX = 0): { positions: Float32Array; indices: Uint32Array } {
  const status = solid.status();
  if (status !== 'NoError' || solid.isEmpty()) {
    throw new LayerwiseError('internal', `demo shape is not a valid solid (manifold status ${status})`);
  }
  const box = solid.boundingBox();
  const dx = offsetX - (box.min[0] + box.max[0]) / 2;
  const dy = -(box.min[1] + box.max[1]) / 2;
  const dz = -box.min[2];
  const mesh = solid.getMesh();
  const n = mesh.numVert;
  const np = mesh.numProp;
  const positions = new Float32Array(n * 3);
  for (let v = 0; v < n; v++) {
    positions[v * 3] = mesh.vertProperties[v * np]! + dx;
    positions[v * 3 + 1] = mesh.vertProperties[v * np + 1]! + dy;
    positions[v * 3 + 2] = mesh.vertProperties[v * np + 2]! + dz;
  }
  return { positions, indices: Uint32Array.from(mesh.triVerts) };
}

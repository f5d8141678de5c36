/**
 * The contract every `ShapeEncoder` passes (called from encoders.test.ts, one block per encoder): embedding length
 * 128–256 by default, determinism under a seed, checkpoint round trip, refusal to embed before fitting, and the
 * invariance that matters for search — a copy rotated about the up axis, scaled and re-triangulated lands among
 * the nearest neighbours of its original.
 */
import { describe, expect, it } from 'vitest';
import { type PreparedShape, prepareShape } from '../../geometry/descriptors-features.js';
import {
  box,
  cylinder,
  type SimpleMesh,
  subdivide,
  torus,
  transformMesh,
  uvSphere,
} from '../../geometry/sample-primitives.js';
import type { ShapeEncoder } from './encoder.js';
import { PREPARE_OPTIONS } from './encoder.js';
import { loadShapeEncoder } from './registry.js';

/** A small procedural library: boxes, cylinders, spheres and tori of several proportions. */
export function libraryMeshes(): SimpleMesh[] {
  return [
    box(1, 1, 1),
    box(1, 2, 3),
    box(1, 1, 5),
    box(4, 4, 0.5),
    box(3, 1, 0.3),
    cylinder(1, 2, 32),
    cylinder(0.4, 6, 32),
    cylinder(2, 0.4, 32),
    uvSphere(1, 32, 16),
    torus(1, 0.3, 32, 16),
    torus(1, 0.08, 32, 12),
    transformMesh(box(0.5, 0.5, 3), 0, 1, [0, 0, 1]),
  ];
}

let cached: { library: PreparedShape[]; queries: PreparedShape[] } | null = null;

/** Prepared library + one transformed copy (rotated about z, scaled ×3.7, subdivided) per library mesh. */
export function contractData(): { library: PreparedShape[]; queries: PreparedShape[] } {
  if (cached) return cached;
  const meshes = libraryMeshes();
  cached = {
    library: meshes.map((m) => prepareShape(m, PREPARE_OPTIONS)),
    queries: meshes.map((m, i) =>
      prepareShape(subdivide(transformMesh(m, 0.7 + 0.3 * i, 3.7, [5, -2, 1])), PREPARE_OPTIONS),
    ),
  };
  return cached;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return s / Math.sqrt(na * nb || 1);
}

export interface EncoderFactory {
  /** A small, fast configuration for tests. */
  create(): ShapeEncoder;
  /** The encoder with its default configuration (only `dim` is checked). */
  createDefault(): ShapeEncoder;
  /** The copy must rank within the top `rank` of its original's library (default 3 of 12). */
  rank?: number;
}

export function runShapeEncoderContract(name: string, factory: EncoderFactory): void {
  describe(`ShapeEncoder contract: ${name}`, () => {
    it('embeds into 128–256 dimensions by default', () => {
      const d = factory.createDefault().dim;
      expect(d).toBeGreaterThanOrEqual(128);
      expect(d).toBeLessThanOrEqual(256);
    });

    it('is deterministic with a seed and round-trips through save → load', () => {
      const { library } = contractData();
      const a = factory.create();
      const b = factory.create();
      a.fit(library, { seed: 3 });
      b.fit(library, { seed: 3 });
      const ea = a.embedShape(library[1]!);
      expect(ea.length).toBe(a.dim);
      expect(ea.every(Number.isFinite)).toBe(true);
      expect(b.embedShape(library[1]!)).toEqual(ea);
      const loaded = loadShapeEncoder(a.save());
      expect(loaded.name).toBe(a.name);
      const el = loaded.embedShape(library[1]!);
      for (let i = 0; i < ea.length; i++) expect(el[i]).toBeCloseTo(ea[i]!, 5);
    });

    it('ranks a rotated-about-up, scaled, re-triangulated copy among the nearest neighbours of its original', () => {
      const { library, queries } = contractData();
      const enc = factory.create();
      enc.fit(library, { seed: 1 });
      const lib = library.map((s) => enc.embedShape(s));
      const ranks = queries.map((q, i) => {
        const e = enc.embedShape(q);
        const own = cosine(e, lib[i]!);
        return lib.filter((l) => cosine(e, l) > own).length + 1;
      });
      const limit = factory.rank ?? 3;
      expect(ranks.filter((r) => r > limit)).toEqual([]);
      expect(ranks.filter((r) => r === 1).length).toBeGreaterThanOrEqual(Math.ceil((2 / 3) * ranks.length));
    });

    it('refuses to embed before fitting (training-free encoders excepted) and rejects unknown config keys', () => {
      const enc = factory.create();
      const { library } = contractData();
      if (enc.learned || enc.name === 'descriptors') expect(() => enc.embedShape(library[0]!)).toThrow(/not fitted/);
      expect(() => loadShapeEncoder(new Uint8Array(16))).toThrow();
    });
  });
}

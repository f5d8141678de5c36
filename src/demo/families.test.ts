import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { analyzeMesh } from '../geometry/analyze.js';
import { buildShape, MAX_SIZE_MM } from './build-shape.js';
import { FAMILIES } from './families/index.js';
import { perturbParams, sampleParams, TRAITS } from './family.js';
import { glyphCells } from './glyphs.js';
import { loadKernel, withArena } from './kernel.js';

/** Independent check: after welding identical positions every edge has exactly two faces, in opposite directions. */
function closedAndOriented(positions: Float32Array, indices: Uint32Array): boolean {
  const id = new Map<string, number>();
  const canon = (v: number) => {
    const key = `${positions[3 * v]},${positions[3 * v + 1]},${positions[3 * v + 2]}`;
    if (!id.has(key)) id.set(key, id.size);
    return id.get(key)!;
  };
  const directed = new Map<string, number>();
  for (let t = 0; t < indices.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const key = `${canon(indices[t + e]!)}>${canon(indices[t + ((e + 1) % 3)]!)}`;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of directed) {
    const [a, b] = key.split('>');
    if (n !== 1 || directed.get(`${b}>${a}`) !== 1) return false;
  }
  return true;
}

describe('demo model families', () => {
  it('has at least 12 distinct families with tags and parameter spaces', () => {
    expect(FAMILIES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(FAMILIES.map((f) => f.id)).size).toBe(FAMILIES.length);
    for (const f of FAMILIES) {
      expect(f.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(f.tags.length).toBeGreaterThan(0);
      expect(Object.keys(f.params).length).toBeGreaterThan(1);
    }
  });

  it('builds watertight, single-shell, printer-sized meshes for every family (manifold status + analyzeMesh)', async () => {
    const k = await loadKernel();
    const rng = new Rng(2024);
    const traitsSeen = new Set<string>();
    for (const family of FAMILIES) {
      let built = 0;
      for (let i = 0; built < 3 && i < 10; i++) {
        let shape: ReturnType<typeof buildShape>;
        try {
          shape = buildShape(k, family, sampleParams(family, rng));
        } catch {
          continue; // an unlucky draw is redrawn by the generator; it must not be the norm (checked below)
        }
        built++;
        expect(shape.triangles, family.id).toBeGreaterThanOrEqual(40);
        expect(shape.triangles, family.id).toBeLessThanOrEqual(20_000);
        for (let a = 0; a < 3; a++) expect(shape.bboxMm[a], family.id).toBeLessThanOrEqual(MAX_SIZE_MM[a]!);
        expect(shape.volumeMm3).toBeGreaterThan(0);
        for (const part of shape.parts) {
          const report = analyzeMesh(part, {
            weldToleranceMm: 0,
            checks: { thickness: false, intersections: false, orientation: false },
          });
          expect(report.watertight, `${family.id}/${part.name}`).toBe(true);
          expect(report.shells).toBe(1);
          expect(report.insideOut).toBe(false);
          expect(report.volumeMm3).toBeGreaterThan(0);
          expect(closedAndOriented(part.positions, part.indices), `${family.id}/${part.name}`).toBe(true);
          let minZ = Number.POSITIVE_INFINITY;
          for (let v = 2; v < part.positions.length; v += 3) minZ = Math.min(minZ, part.positions[v]!);
          expect(minZ).toBeCloseTo(0, 4);
        }
        for (const t of TRAITS) if (shape.traits[t]) traitsSeen.add(t);
      }
      expect(built, `${family.id}: too many invalid variants`).toBe(3);
    }
    expect([...traitsSeen].sort()).toEqual([...TRAITS].sort());
  });

  it('gives shapes their designed topology: a bracket has two holes per screw, a vase none', async () => {
    const k = await loadKernel();
    const bracket = FAMILIES.find((f) => f.id === 'bracket')!;
    const plain = { style: 'plain', leg_a: 60, leg_b: 40, width: 25, thickness: 4, holes: 2, screw: 2 };
    expect(buildShape(k, bracket, plain).genus).toBe(4);
    const vase = FAMILIES.find((f) => f.id === 'vase')!;
    const v = buildShape(k, vase, {
      style: 'twisted',
      height: 150,
      radius: 40,
      sides: 6,
      twist: 90,
      taper: 1.1,
      wall: 2,
      waves: 1,
    });
    expect(v.genus).toBe(0);
    expect(v.traits.tall).toBe(true);
    const coaster = FAMILIES.find((f) => f.id === 'coaster')!;
    const c = buildShape(k, coaster, { shape: 'round', pattern: 'rings', diameter: 100, thickness: 4, spacing: 8 });
    expect(c.traits.flat).toBe(true);
    expect(c.bboxMm[0]).toBeCloseTo(100, 0);
  });

  it('frees every WASM object an arena creates and keeps parameters inside their ranges when remixing', async () => {
    const k = await loadKernel();
    const created: { isEmpty(): boolean }[] = [];
    withArena(() => created.push(k.Manifold.cube([1, 1, 1]).translate([1, 0, 0])));
    expect(() => created[0]!.isEmpty()).toThrow();
    const rng = new Rng(5);
    for (const f of FAMILIES) {
      const p = perturbParams(f, sampleParams(f, rng), rng);
      for (const [name, spec] of Object.entries(f.params)) {
        if ('options' in spec) expect(spec.options).toContain(p[name]);
        else {
          expect(p[name] as number).toBeGreaterThanOrEqual(spec.min);
          expect(p[name] as number).toBeLessThanOrEqual(spec.max);
        }
      }
    }
  });

  it('renders name-plate lettering from the 5×7 font', () => {
    // "I" is a centre column of 5 cells plus 3-cell serifs top and bottom: 11 cells.
    expect(glyphCells('I')).toHaveLength(11);
    expect(glyphCells('HI').every(([c]) => c < 11)).toBe(true);
    expect(glyphCells('?')).toHaveLength(0);
  });
});

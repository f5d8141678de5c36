/** Reference check: our volume, area and genus against manifold-3d (WASM) on real closed meshes. */
import { readFileSync } from 'node:fs';
import Module from 'manifold-3d';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../test/data.js';
import { parseMesh } from '../io/parse.js';
import { analyzeMesh } from './analyze.js';

const shapes = ['box', 'bunny', 'cone', 'cylinder', 'sphere', 'torus', 'M3_hex_nut', 'M3x10_screw', 'pyramid'];

describe.skipIf(!hasData('prusaslicer-shapes'))('analyzeMesh vs manifold-3d on the PrusaSlicer shapes', () => {
  it('volume and area agree within 1e-4, genus exactly', async () => {
    const wasm = await Module();
    wasm.setup();
    for (const name of shapes) {
      const mesh = parseMesh(readFileSync(dataPath('prusaslicer-shapes', `${name}.stl`)));
      const ours = analyzeMesh(mesh);
      const m = new wasm.Mesh({ numProp: 3, vertProperties: mesh.positions, triVerts: mesh.indices });
      m.merge();
      const solid = new wasm.Manifold(m);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-9);
      expect(ours.watertight, name).toBe(true);
      expect(rel(ours.volumeMm3, solid.volume()), name).toBeLessThan(1e-4);
      expect(rel(ours.areaMm2, solid.surfaceArea()), name).toBeLessThan(1e-4);
      expect(ours.genus, name).toBe(solid.genus());
      solid.delete();
    }
  });
});

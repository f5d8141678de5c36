import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../../test/data.js';
import type { InspectRow } from '../../app/inspect/inspect.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    isTty: false,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

const tmp = mkdtempSync(join(tmpdir(), 'layerwise-inspect-'));
const broken = join(tmp, 'broken.stl');
// An ASCII STL cut off in the middle of a facet.
writeFileSync(broken, 'solid cut\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0');
const missing = join(tmp, 'missing.stl');

const shapes = 'prusaslicer-shapes';
const haveShapes = hasData(shapes, 'manifest.csv');

describe.skipIf(!haveShapes)('layerwise inspect on the PrusaSlicer shapes', () => {
  const manifest = (haveShapes ? readFileSync(dataPath(shapes, 'manifest.csv'), 'utf8') : '')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .map(([path, , , triangles, dx, dy, dz]) => ({
      path: path!,
      triangles: Number(triangles),
      size: [dx, dy, dz].map(Number),
    }));

  it('--printer prusa-mk4 --json: one object per file with sane values; bad files reported, exit 1', async () => {
    const files = manifest.map((m) => dataPath(shapes, m.path));
    const io = capture();
    const code = await main(['inspect', ...files, missing, broken, '--printer', 'prusa-mk4', '--json'], io);
    expect(code).toBe(1);
    const rows = JSON.parse(io.stdout()) as InspectRow[];
    expect(rows).toHaveLength(files.length + 2);
    const keys = ['file', 'ok', 'format', 'triangles', 'vertices', 'shells', 'watertight', 'openEdges'];
    keys.push('nonManifoldEdges', 'volumeMm3', 'areaMm2', 'bboxMm', 'overhangAreaMm2', 'fitsPrinter', 'massG');
    keys.push('printMinutes', 'warnings', 'materialCm3', 'filamentMm', 'layers', 'thinWalls', 'selfIntersections');
    keys.push('degenerate', 'bestOrientation', 'advice', 'slicer');
    for (const [i, m] of manifest.entries()) {
      const r = rows[i]!;
      expect(Object.keys(r).sort()).toEqual([...keys].sort());
      expect(r).toMatchObject({
        file: files[i],
        ok: true,
        format: 'stl-binary',
        triangles: m.triangles,
        fitsPrinter: true,
      });
      // The manifest rounds to 4 significant digits.
      for (const [a, v] of r.bboxMm!.entries())
        expect(Math.abs(v - m.size[a]!)).toBeLessThanOrEqual(5e-4 * m.size[a]! + 1e-3);
      expect(r.volumeMm3).toBeGreaterThan(0);
      expect(r.massG).toBeGreaterThan(0);
      expect(r.printMinutes).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(r.warnings)).toBe(true);
    }
    const byName = (n: string) => rows[manifest.findIndex((m) => m.path === n)]!;
    expect(byName('box.stl')).toMatchObject({ volumeMm3: 15625, areaMm2: 3750, watertight: true, shells: 1 });
    expect(byName('box.stl')).toMatchObject({ openEdges: 0, nonManifoldEdges: 0, vertices: 8, overhangAreaMm2: 0 });
    const sphere = byName('sphere.stl');
    expect(Math.abs(sphere.volumeMm3! - (4 / 3) * Math.PI * 15.5 ** 3) / sphere.volumeMm3!).toBeLessThan(0.03);
    expect(sphere.overhangAreaMm2).toBeGreaterThan(0);
    expect(byName('torus.stl').watertight).toBe(true);
    const bad = rows.slice(files.length);
    expect(bad[0]).toMatchObject({ file: missing, ok: false, error: { code: 'not_found' }, triangles: null });
    expect(bad[1]).toMatchObject({ file: broken, ok: false, fitsPrinter: null });
    expect(['parse_error', 'unsupported']).toContain(bad[1]!.error!.code);
  });

  it('table output by default; a custom printer too small for the bunny', async () => {
    const profile = join(tmp, 'tiny.json');
    writeFileSync(
      profile,
      JSON.stringify({ id: 'tiny', name: 'Tiny', technology: 'fdm', buildVolumeMm: [60, 60, 60], flowMm3PerS: 4 }),
    );
    const io = capture();
    const code = await main(
      ['inspect', dataPath(shapes, 'bunny.stl'), dataPath(shapes, 'box.stl'), '--printer-file', profile],
      io,
    );
    expect(code).toBe(0);
    const text = io.stdout();
    expect(text).toContain('printer: tiny (60 × 60 × 60 mm)');
    expect(text.split('\n').find((l) => l.includes('bunny.stl'))).toMatch(/\bNO\b.*does_not_fit/);
    expect(text.split('\n').find((l) => l.includes('box.stl'))).toMatch(/15\.63/);
  });

  it('the table says how a part was turned or laid down to fit', async () => {
    const narrow = join(tmp, 'narrow.json');
    const flat = join(tmp, 'flat.json');
    const profile = (id: string, buildVolumeMm: number[]) =>
      JSON.stringify({ id, name: id, technology: 'fdm', buildVolumeMm });
    writeFileSync(narrow, profile('narrow', [100, 120, 110]));
    writeFileSync(flat, profile('flat', [120, 120, 90]));
    const io = capture();
    await main(['inspect', dataPath(shapes, 'bunny.stl'), '--printer-file', narrow], io);
    await main(['inspect', dataPath(shapes, 'bunny.stl'), '--printer-file', flat], io);
    expect(io.stdout()).toMatch(/yes, turned -?\d+°/);
    expect(io.stdout()).toContain('yes, on its side');
  });

  it('the table lists failed files under the table, and the exit status is 1', async () => {
    const io = capture();
    expect(await main(['inspect', dataPath(shapes, 'torus.stl'), missing], io)).toBe(1);
    const text = io.stdout();
    expect(text).toContain('printer: none');
    expect(text).toMatch(/torus\.stl\s+stl-binary\s+3,072\s+1\s+yes/);
    expect(text).toContain(`failed:\n${missing}: not_found: no such file`);
  });

  it('--units cm scales unit-less files', async () => {
    const io = capture();
    await main(['inspect', dataPath(shapes, 'box.stl'), '--units', 'cm', '--json'], io);
    const [row] = JSON.parse(io.stdout()) as InspectRow[];
    expect(row!.bboxMm).toEqual([250, 250, 250]);
    expect(row!.fitsPrinter).toBeNull();
  });
});

describe.skipIf(!hasData('trimesh-models'))('layerwise inspect across formats (trimesh models)', () => {
  it('detects OBJ, PLY, OFF, 3MF and STL from the content and measures closed solids', async () => {
    const dir = (f: string) => dataPath('trimesh-models', 'models', f);
    const cases: [string, string, number][] = [
      ['box.obj', 'obj', 8], // 2 mm cube
      ['BoxTextured.ply', 'ply', 1],
      ['7_8ths_cube.stl', 'stl-binary', 40 ** 3 * (7 / 8)],
      ['P_XPM_0331_01.3mf', '3mf', 100 ** 3 / 6],
    ];
    const io = capture();
    expect(await main(['inspect', ...cases.map(([f]) => dir(f)), '--json'], io)).toBe(0);
    const rows = JSON.parse(io.stdout()) as InspectRow[];
    for (const [i, [name, format, volume]] of cases.entries()) {
      expect(rows[i], name).toMatchObject({ ok: true, format, watertight: true, openEdges: 0 });
      expect(Math.abs(rows[i]!.volumeMm3! - volume), name).toBeLessThan(volume * 1e-4);
    }
  });
});

describe('layerwise inspect argument errors', () => {
  it('unknown printer: not_found listing the valid ids, exit 1', async () => {
    const io = capture();
    expect(await main(['inspect', broken, '--printer', 'mk9'], io)).toBe(1);
    expect(io.stderr()).toMatch(/not_found: unknown printer "mk9".*prusa-mk4/);
  });

  it('--printer with --printer-file, or a bad angle: invalid_argument, exit 2', async () => {
    const io = capture();
    expect(await main(['inspect', broken, '--printer', 'prusa-mk4', '--printer-file', 'x.json'], io)).toBe(2);
    expect(await main(['inspect', broken, '--overhang-angle', '100'], io)).toBe(2);
    expect(await main(['inspect', broken, '--units', 'furlong'], io)).toBe(2);
    expect(io.stderr()).toContain('--overhang-angle');
  });

  it('a bad custom profile names the field', async () => {
    const profile = join(tmp, 'bad.json');
    writeFileSync(profile, JSON.stringify({ id: 'x', name: 'X', technology: 'fdm', buildVolumeMm: [1, 2] }));
    const io = capture();
    expect(await main(['inspect', broken, '--printer-file', profile], io)).toBe(2);
    expect(io.stderr()).toContain('buildVolumeMm');
  });
});

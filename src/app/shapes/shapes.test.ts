import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { box, cylinder, subdivide, torus, transformMesh, uvSphere } from '../../geometry/sample-primitives.js';
import { encodeStlBinary } from '../../io/encode.js';
import { withStore } from '../store.js';
import { computeEmbeddings } from './embed.js';
import { findSimilar } from './search.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-shapes-'));
const lib = join(root, 'lib');
const dataDir = join(root, 'data');
const config = { dataDir, databaseUrl: null };
const quick = { batchSize: 8, epochs: 20 };

function capture(): {
  io: { out: (s: string) => void; err: (s: string) => void; isTty: boolean };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => void out.push(s), err: (s) => void err.push(s), isTty: false }, out, err };
}

beforeAll(async () => {
  mkdirSync(join(lib, 'parts'), { recursive: true });
  const meshes = {
    'cube.stl': box(10, 10, 10),
    'plate.stl': box(40, 40, 2),
    'bar.stl': box(4, 4, 40),
    'rod.stl': cylinder(2, 30, 32),
    'puck.stl': cylinder(15, 3, 32),
    'ball.stl': uvSphere(8, 32, 16),
    'ring.stl': torus(10, 2, 32, 16),
    'parts/thin-ring.stl': torus(10, 0.6, 32, 12),
    'brick.stl': box(30, 10, 5),
    // the same brick, turned about z, scaled and re-triangulated: a near-duplicate of brick.stl
    'parts/brick-copy.stl': subdivide(transformMesh(box(30, 10, 5), 0.6, 0.5, [100, 0, 0])),
  };
  for (const [name, m] of Object.entries(meshes)) writeFileSync(join(lib, name), encodeStlBinary(m));
  writeFileSync(
    join(lib, 'labels.csv'),
    `path,label\n${Object.keys(meshes)
      .map((p) => `${p},${p.includes('ring') ? 'ring' : p.includes('brick') ? 'brick' : p.replace(/\..*$/, '')}`)
      .join('\n')}\n`,
  );
  const c = capture();
  expect(await main(['ingest', 'models', lib, '--data-dir', dataDir], c.io)).toBe(0);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('library shape search', () => {
  it('fits an encoder, embeds every item once, and finds a near-duplicate by file and by item', async () => {
    const summary = await withStore(config, (s) =>
      computeEmbeddings(s, dataDir, { encoder: 'pointnet', config: quick }),
    );
    expect(summary).toMatchObject({ encoder: 'pointnet', version: 1, fitted: true, embedded: 10, failed: 0 });
    const again = await withStore(config, (s) => computeEmbeddings(s, dataDir, { encoder: 'pointnet' }));
    expect(again).toMatchObject({ fitted: false, embedded: 0, alreadyEmbedded: 10 });

    const query = box(30, 10, 5);
    const byFile = await withStore(config, (s) => findSimilar(s, { mesh: query }, { k: 3, dataDir }));
    expect(byFile.hits).toHaveLength(3);
    const top2 = byFile.hits.slice(0, 2).map((h) => h.path);
    expect(top2.sort()).toEqual(['lib/brick.stl', 'lib/parts/brick-copy.stl']);
    expect(byFile.hits.slice(0, 2).every((h) => h.nearDuplicate)).toBe(true);
    expect(byFile.hits[2]!.nearDuplicate).toBe(false);
    expect(byFile.hits[0]!.score).toBeGreaterThanOrEqual(byFile.hits[1]!.score);

    const brickId = byFile.hits.find((h) => h.path === 'lib/brick.stl')!.itemId;
    for (const index of ['usearch', 'hnswlib', 'brute'] as const) {
      const byItem = await withStore(config, (s) => findSimilar(s, { itemId: brickId }, { k: 2, dataDir, index }));
      expect(byItem.hits.map((h) => h.path)[0]).toBe('lib/parts/brick-copy.stl');
      expect(byItem.hits.some((h) => h.itemId === brickId)).toBe(false);
    }
  });

  it('runs `layerwise similar` and `layerwise embed` from the CLI, and says what to do without an encoder', async () => {
    const c = capture();
    expect(await main(['similar', join(lib, 'ball.stl'), '-k', '2', '--json', '--data-dir', dataDir], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(''));
    expect(r.hits[0].path).toBe('lib/ball.stl');
    expect(r.hits[0].nearDuplicate).toBe(true);
    const e = capture();
    expect(await main(['embed', '--encoder', 'd2', '--json', '--data-dir', dataDir], e.io)).toBe(0);
    expect(JSON.parse(e.out.join(''))).toMatchObject({ encoder: 'd2', embedded: 10 });
    const missing = capture();
    expect(await main(['similar', '--item', 'x', '--encoder', 'sda', '--data-dir', dataDir], missing.io)).toBe(1);
    expect(missing.err.join('')).toMatch(/layerwise embed --encoder sda/);
  });

  it('evaluates encoders with `layerwise eval-shapes --json`', async () => {
    const c = capture();
    const code = await main(
      [
        'eval-shapes',
        '--dir',
        lib,
        '--labels',
        join(lib, 'labels.csv'),
        '--label-column',
        'label',
        '--encoder',
        'd2,descriptors',
        '--json',
      ],
      c.io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join(''));
    expect(Object.keys(r)).toEqual(['d2', 'descriptors']);
    for (const m of Object.values(r) as Record<string, number>[]) {
      for (const k of ['map', 'nn', 'ft', 'st', 'dcg']) expect(m[k]).toBeGreaterThanOrEqual(0);
      expect(m.queries).toBe(4); // only the ring and brick classes have two members
    }
    // the brick and its copy find each other first
    expect((r.d2 as { perClass: Record<string, { nn: number }> }).perClass.brick!.nn).toBe(1);
  });

  it('fits on the tuning half of the classes only with `eval-shapes --fit-on tuning`', async () => {
    const args = ['eval-shapes', '--dir', lib, '--labels', join(lib, 'labels.csv'), '--label-column', 'label'];
    const c = capture();
    expect(await main([...args, '--encoder', 'd2', '--fit-on', 'tuning', '--json'], c.io)).toBe(0);
    const r = JSON.parse(c.out.join('')) as { d2: { fitShapes: number; queries: number } };
    // plate and the two rings are in the held-out half (classSplit hashes the label), so 7 of the 10 meshes train
    expect(r.d2).toMatchObject({ fitShapes: 7, queries: 4 });
    const bad = capture();
    expect(await main([...args, '--fit-on', 'half', '--json'], bad.io)).toBe(2); // usage error
    expect(bad.err.join('')).toMatch(/--fit-on: expected all or tuning/);
  });
});

/**
 * Ingest through the library functions (in-thread: vitest runs the TypeScript sources, so the pool falls back to the
 * same work function). The real worker path and kill -9 are tested through the built CLI in ingest-cli.test.ts.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../../test/data.js';
import { encodeStlBinary } from '../../io/encode-stl.js';
import { boxMesh } from '../../io/test-meshes.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { loadConfig } from '../config.js';
import { ingestEvents } from './events.js';
import { openBlobs, readThumbnail } from './locations.js';
import { ingestModels } from './models.js';
import { workerFileAvailable } from './pool.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const trimesh = (f: string) => dataPath('trimesh-models', 'models', f);

describe('ingestModels', () => {
  it('runs in-thread under vitest (the compiled worker is tested through the CLI)', () => {
    expect(workerFileAvailable()).toBe(false);
  });

  it('renders thumbnails at ingest into the blob store and records where each file is; bad files get none', async () => {
    const lib = join(tmp, 'thumbs-lib');
    const dataDir = join(tmp, 'thumbs-data');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'a.stl'), encodeStlBinary(boxMesh(0, 0, 0, 10, 20, 30)));
    writeFileSync(join(lib, 'b.stl'), encodeStlBinary(boxMesh(0, 0, 0, 40, 5, 5)));
    writeFileSync(join(lib, 'bad.stl'), 'not a mesh');
    const store = await openSqliteStore(':memory:');
    const s = await ingestModels(store, [lib], { thumbnailDir: dataDir });
    expect(s).toMatchObject({ added: 2, failed: 1 });
    const items = (await store.listItems({ status: ['ready', 'failed'] })).items;
    const blobs = openBlobs(store, dataDir);
    const meshes = await store.itemBlobs(
      items.map((i) => i.id),
      'mesh',
    );
    for (const it of items) {
      const stored = await readThumbnail(store, blobs, it.id);
      if (it.status !== 'ready') {
        expect(stored).toBeNull();
        expect(meshes.has(it.id)).toBe(false);
        continue;
      }
      // The local store references the ingested file in place.
      expect(meshes.get(it.id)).toMatch(/^file:\/\/.*thumbs-lib\/[ab]\.stl$/);
      const png = Buffer.from(stored!);
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(256); // IHDR width
    }
    await store.close();
  });

  it.runIf(hasData('trimesh-models'))(
    'ingests every format with sidecar metadata; bad files are reported, not fatal; a changed file updates its item',
    async () => {
      const lib = join(tmp, 'lib');
      mkdirSync(join(lib, 'sub'), { recursive: true });
      copyFileSync(trimesh('20mm-xyz-cube.stl'), join(lib, 'cube.stl'));
      copyFileSync(trimesh('box.obj'), join(lib, 'sub', 'box.obj'));
      copyFileSync(trimesh('ballA.off'), join(lib, 'sub', 'ball.off'));
      copyFileSync(trimesh('counterX.3MF'), join(lib, 'counter.3mf'));
      writeFileSync(join(lib, 'garbage.stl'), 'this is not a mesh at all, not even close');
      writeFileSync(join(lib, 'notes.txt'), 'ignored');
      writeFileSync(
        join(lib, 'metadata.csv'),
        'path,id,title,tags,license,creator,category,remix_of,created_at\n' +
          'cube.stl,cube-1,Calibration cube,calibration;test,CC-BY-4.0,alice,tools,,2024-03-01\n' +
          'sub/box.obj,,A box,,MIT,bob,,cube-1,\n',
      );
      writeFileSync(join(lib, 'sub', 'ball.off.json'), JSON.stringify({ title: 'Ball', tags: ['sphere'] }));
      const store = await openSqliteStore(':memory:');
      const s1 = await ingestModels(store, [lib]);
      expect(s1).toMatchObject({ scanned: 5, added: 4, updated: 0, unchanged: 0, failed: 1 });
      expect(s1.errors).toHaveLength(1);
      expect(s1.errors[0]).toMatchObject({ file: 'lib/garbage.stl' });
      expect(s1.errors[0]?.code).toMatch(/parse_error|unsupported/);
      const cube = await store.getItem('cube-1');
      expect(cube).toMatchObject({
        status: 'ready',
        path: 'lib/cube.stl',
        title: 'Calibration cube',
        tags: ['calibration', 'test'],
        license: 'CC-BY-4.0',
        creator: 'alice',
        category: 'tools',
        createdAt: Date.UTC(2024, 2, 1),
      });
      expect(cube?.report?.watertight).toBe(true);
      expect(cube?.report?.bboxMm.map((v) => Math.round(v))).toEqual([20, 20, 20]);
      const items = (await store.listItems({ status: ['ready', 'failed'] })).items;
      const byPath = new Map(items.map((i) => [i.path, i]));
      expect(byPath.get('lib/sub/box.obj')).toMatchObject({ title: 'A box', remixOf: 'cube-1', format: 'obj' });
      expect(byPath.get('lib/sub/ball.off')).toMatchObject({ title: 'Ball', tags: ['sphere'], format: 'off' });
      expect(byPath.get('lib/counter.3mf')?.format).toBe('3mf');
      expect(byPath.get('lib/garbage.stl')?.status).toBe('failed');

      const s2 = await ingestModels(store, [lib]);
      expect(s2).toMatchObject({ scanned: 5, added: 0, updated: 0, unchanged: 4, failed: 1 });

      copyFileSync(trimesh('cube.OBJ'), join(lib, 'sub', 'box.obj'));
      const s3 = await ingestModels(store, [lib]);
      expect(s3).toMatchObject({ added: 0, updated: 1, unchanged: 3, failed: 1 });
      const box = (await store.listItems()).items.find((i) => i.path === 'lib/sub/box.obj');
      expect(box?.id).toBe(byPath.get('lib/sub/box.obj')?.id);
      expect(box?.fileHash).not.toBe(byPath.get('lib/sub/box.obj')?.fileHash);
      const stats = await store.stats();
      expect(stats.items).toMatchObject({ total: 5, failed: 1 });
      expect(await store.jobOutcomes(s1.jobId, { outcome: 'failed' })).toHaveLength(1);
      await store.close();
    },
  );

  it.runIf(hasData('openscad-parametric') && hasData('voron-stl'))(
    'ingests openscad-parametric and voron-stl; the second run adds nothing',
    async () => {
      const store = await openSqliteStore(':memory:');
      const paths = [dataPath('openscad-parametric'), dataPath('voron-stl')];
      const s1 = await ingestModels(store, paths);
      expect(s1.failed).toBe(0);
      expect(s1.scanned).toBeGreaterThanOrEqual(560);
      // openscad-parametric renders a few identical meshes: they are one item (identity by content hash).
      expect(s1.added + s1.unchanged).toBe(s1.scanned);
      const s2 = await ingestModels(store, paths);
      expect(s2).toMatchObject({ scanned: s1.scanned, added: 0, updated: 0, unchanged: s1.scanned, failed: 0 });
      const stats = await store.stats();
      expect(stats.items.total).toBe(s1.added);
      expect(stats.items.byFormat['stl-binary']).toBe(s1.added);
      await store.close();
    },
    // ~560 files, each with the full printability report (thin walls, intersections, best orientation): over
    // 240 s at a load average of 27 on the shared 2-core machine, far less on a quiet one.
    600_000,
  );
});

describe('ingestEvents', () => {
  it.runIf(hasData('movielens-100k'))('imports MovieLens-100k u.data; a second run adds nothing', async () => {
    const store = await openSqliteStore(':memory:');
    const file = dataPath('movielens-100k', 'u.data');
    const s1 = await ingestEvents(store, file, { format: 'movielens' });
    expect(s1).toMatchObject({ scanned: 100_000, added: 100_000, failed: 0, duplicates: 0 });
    const stats = await store.stats();
    expect(stats).toMatchObject({ users: 943, events: { total: 100_000, byType: { rating: 100_000 } } });
    expect(stats.items).toMatchObject({ total: 1682, stubs: 1682 });
    const h = await store.userHistory('196', { limit: 1000 });
    expect(h).toHaveLength(39); // user 196 rated 39 movies in ML-100K
    expect(h.find((e) => e.itemId === '242')).toMatchObject({ value: 3, weight: 3, timestamp: 881_250_949_000 });
    const s2 = await ingestEvents(store, file, { format: 'movielens' });
    expect(s2).toMatchObject({ scanned: 100_000, added: 0, duplicates: 100_000, unchanged: 100_000 });
    await store.close();
  });

  it('reports bad rows with line numbers, drops duplicates and rejects unknown items by flag', async () => {
    const file = join(tmp, 'events.csv');
    writeFileSync(
      file,
      'user,item,type,timestamp,weight\nu1,a,view,1700000000,\nu1,a,view,1700000000,\nu2,a,hug,1700000000,\n' +
        'u2,b,like,1700000001,\nu3,zz,download,2024-01-01,\nu3,a,make,not-a-date,\n',
    );
    const store = await openSqliteStore(':memory:');
    await store.upsertItems([{ id: 'a' }, { id: 'b' }]);
    const s = await ingestEvents(store, file, { unknownItems: 'reject', batchSize: 2 });
    expect(s).toMatchObject({ scanned: 6, added: 2, duplicates: 1, rejected: 1, failed: 3 });
    expect(s.errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'parse_error'],
      [6, 'not_found'],
      [7, 'parse_error'],
    ]);
    expect(s.errors[0]?.message).toMatch(/line 4: unknown event type "hug"/);
    expect(await store.getItem('zz')).toBeNull();
    const outcomes = await store.jobOutcomes(s.jobId);
    expect(outcomes.map((o) => o.file)).toEqual(['events.csv:4', 'events.csv:6', 'events.csv:7']);
    await store.close();
  });

  it('reads config layers: defaults, env, flags; unknown keys are errors', () => {
    expect(loadConfig({ env: {} })).toEqual({
      dataDir: './.layerwise',
      databaseUrl: null,
      ingestWorkers: null,
      redisUrl: null,
      redisPrefix: 'layerwise',
    });
    const env = { LAYERWISE_DATA_DIR: '/env', LAYERWISE_INGEST_WORKERS: '3', LAYERWISE_TEST_DATABASE_URL: 'x' };
    expect(loadConfig({ env })).toMatchObject({ dataDir: '/env', ingestWorkers: 3 });
    expect(loadConfig({ env, flags: { dataDir: '/flag', databaseUrl: undefined } }).dataDir).toBe('/flag');
    expect(() => loadConfig({ env: {}, flags: { dataDri: 'x' } })).toThrow(/dataDri/);
    expect(() => loadConfig({ env: { LAYERWISE_DATABASE_URL: 'mysql://x' } })).toThrow(/databaseUrl.*postgres/);
  });
});

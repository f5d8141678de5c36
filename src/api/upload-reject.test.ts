/**
 * Issue 15: "a rejected upload is stored anyway" — a mesh of zero-area triangles was answered 400 (the shape encoder
 * cannot sample a surface that has no area) after the item had been committed, so it was listed and served. Now
 * everything that can refuse an upload runs before the commit: the refused upload leaves no item, no listing, no
 * file or blob, no embedding and no ingest job behind. Checked with the real serving embedder path (a D2 encoder,
 * which samples the surface) and with the fixture's toy embedder (which does not: the pipeline itself refuses a mesh
 * without surface).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedMesh } from '../app/shapes/embed.js';
import { contentHash } from '../core/ids.js';
import { box } from '../geometry/primitives.js';
import { encodeStlBinary } from '../io/encode.js';
import { createShapeEncoder } from '../models/shape/registry.js';
import { type Fixture, startFixture } from './testing/fixture.js';

/**
 * 40 triangles whose corners lie on one line: parses fine, 0 mm² of surface. On the x axis (`slanted` false) every
 * cross product is exactly 0, so surface sampling refuses it; on a slanted line rounding leaves a few 1e-7 mm², which
 * sampling takes for a surface and the analysis (welding tolerance) does not.
 */
function zeroAreaStl(slanted = false): Uint8Array {
  const n = 40;
  const positions = new Float32Array((n + 2) * 3);
  for (let i = 0; i < n + 2; i++) positions.set(slanted ? [i, 2 * i, 3 * i] : [i, 0, 0], i * 3);
  const indices = new Uint32Array(n * 3);
  for (let t = 0; t < n; t++) indices.set([t, t + 1, t + 2], t * 3);
  return encodeStlBinary({ positions, indices });
}

function form(bytes: Uint8Array, title: string): FormData {
  const f = new FormData();
  f.append('title', title);
  f.append('file', new Blob([new Uint8Array(bytes)]), `${title}.stl`);
  return f;
}

/** Every file under `dir` (relative paths); [] when it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function snapshot(fx: Fixture) {
  const stats = await fx.store.stats();
  const listed = (await (await fetch(`${fx.url}/v1/items?limit=100`)).json()) as { items: { id: string }[] };
  return {
    items: listed.items.map((i) => i.id).sort(),
    embeddings: stats.embeddings,
    blobs: filesUnder(join(fx.dir, 'blobs')),
    uploads: filesUnder(join(fx.dir, 'uploads')),
    jobs: (await fx.store.listJobs({ limit: 100 })).length,
  };
}

async function expectRefusedAndNothingStored(fx: Fixture, title: string, slanted = false): Promise<void> {
  const before = await snapshot(fx);
  const bytes = zeroAreaStl(slanted);
  const res = await fetch(`${fx.url}/v1/items`, { method: 'POST', body: form(bytes, title) });
  const body = (await res.json()) as { code: string; message: string };
  expect(res.status).toBe(400);
  expect(body.code).toBe('invalid_argument');
  expect(body.message).toMatch(/zero (surface )?area/);
  expect(await snapshot(fx)).toEqual(before);
  // not findable by its title, no item row with its bytes
  const search = (await (await fetch(`${fx.url}/v1/search?q=${title}`)).json()) as { items: unknown[] };
  expect(search.items).toEqual([]);
  expect((await fx.store.findItemsByHash([contentHash(bytes)])).size).toBe(0);
}

describe('a refused upload leaves nothing behind', () => {
  let real: Fixture;
  let toy: Fixture;
  beforeAll(async () => {
    const d2 = createShapeEncoder('d2', { pairs: 2000 });
    // the serving embedder of `layerwise serve` for a d2 library: embedMesh with the restored encoder
    real = await startFixture({}, {}, { embedMesh: (mesh) => embedMesh(mesh, d2).vector });
    toy = await startFixture();
  });
  afterAll(async () => {
    await real?.close();
    await toy?.close();
  });

  it('with an embedder that samples the surface: 400, no item, blob, embedding or job', async () => {
    await expectRefusedAndNothingStored(real, 'flatliner');
  });

  it('with an embedder that does not look at the surface: the pipeline refuses it all the same', async () => {
    await expectRefusedAndNothingStored(toy, 'flatliner');
    await expectRefusedAndNothingStored(toy, 'slantliner', true);
    await expectRefusedAndNothingStored(real, 'slantliner', true);
  });

  it('a valid upload right after is stored (the check is not refusing everything)', async () => {
    const res = await fetch(`${toy.url}/v1/items`, {
      method: 'POST',
      body: form(encodeStlBinary(box([7, 8, 9])), 'okbox'),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await fetch(`${toy.url}/v1/items/${id}`)).status).toBe(200);
    expect(filesUnder(join(toy.dir, 'blobs')).length).toBeGreaterThan(0);
  });
});

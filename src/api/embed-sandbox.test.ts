/**
 * Issue 15 (soak): the upload's shape embedding ran on the request thread — 20–70 ms of CPU per mesh for the
 * library's PointNet encoder, ~300 ms for the first — stalling every other request once per upload. `layerwise serve`
 * now hands the encoder's checkpoint to the mesh worker threads (`shapeCheckpoint`), which embed the mesh where
 * they parse it. Checked here with a deliberately slow encoder (D2 with millions of point pairs): while an upload is
 * embedded the server's event loop keeps turning, and the stored vector is exactly what `embedMesh` computes on the
 * calling thread with the same checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { embedMesh } from '../app/shapes/embed.js';
import { box, merge } from '../geometry/primitives.js';
import { encodeStlBinary } from '../io/encode.js';
import { parseMesh } from '../io/parse.js';
import { createShapeEncoder, loadShapeEncoder } from '../models/shape/registry.js';
import { type Fixture, startFixture } from './testing/fixture.js';

vi.setConfig({ testTimeout: 120_000 }); // a worker thread boots the TypeScript sources under vitest

/** 8 bins (the fixture's embedding size); enough pairs that one embedding costs well over 100 ms of CPU. */
const slow = createShapeEncoder('d2', { bins: 8, pairs: 6_000_000 });
const checkpoint = slow.save();

function form(bytes: Uint8Array, title: string): FormData {
  const f = new FormData();
  f.append('title', title);
  f.append('file', new Blob([new Uint8Array(bytes)]), `${title}.stl`);
  return f;
}

/** Largest gap between 5 ms ticks of this thread's event loop (the server's) while `work` runs. */
async function loopLag<T>(work: () => Promise<T>): Promise<{ lag: number; value: T }> {
  let last = performance.now();
  let lag = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  const value = await work();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  return { lag, value };
}

describe('upload embeddings are computed off the request thread', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ uploads: { workers: 1 } }, {}, { shapeCheckpoint: checkpoint });
    // the worker's start-up (TypeScript sources under vitest) is not what is measured
    const warm = await fetch(`${fx.url}/v1/items`, {
      method: 'POST',
      body: form(encodeStlBinary(box([5, 6, 7])), 'warm'),
    });
    expect(warm.status).toBe(201);
  });
  afterAll(() => fx?.close());

  it('keeps the event loop turning while a slow encoder embeds an upload, and stores the same vector', async () => {
    const bytes = encodeStlBinary(merge(box([20, 4, 4]), box([4, 20, 4], [0, 0, 4])));
    // what the same encoder makes of it on this thread, and how long that takes
    const mesh = parseMesh(bytes);
    const t0 = performance.now();
    const expected = embedMesh(mesh, loadShapeEncoder(checkpoint)).vector;
    const inThreadMs = performance.now() - t0;
    expect(inThreadMs).toBeGreaterThan(100);

    const { lag, value: res } = await loopLag(() =>
      fetch(`${fx.url}/v1/items`, { method: 'POST', body: form(bytes, 'elbow') }),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    // the request thread only parsed the multipart body and committed: nothing near the embedding's cost
    expect(lag).toBeLessThan(Math.max(60, inThreadMs / 2));
    const stored = (await fx.store.getEmbeddings('toy', [id])).get(id);
    expect(stored).toBeDefined();
    expect([...stored!]).toEqual([...expected]);
  });

  it('shape search embeds the query in the workers too: the uploaded item is its own nearest shape', async () => {
    const bytes = encodeStlBinary(merge(box([20, 4, 4]), box([4, 20, 4], [0, 0, 4])));
    const { lag, value: res } = await loopLag(() =>
      fetch(`${fx.url}/v1/search/shape?k=3`, { method: 'POST', body: form(bytes, 'query') }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { title: string; score: number }[] };
    expect(body.items[0]!.title).toBe('elbow');
    expect(body.items[0]!.score).toBeCloseTo(1, 5);
    expect(lag).toBeLessThan(100);
  });
});

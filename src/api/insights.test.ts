/** The UI's read-only routes over the API fixture: printers, categories, printer-fit paging, inspect, shape map. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pca2 } from '../app/serve/insights.js';
import { box } from '../geometry/primitives.js';
import { encodeStlBinary } from '../io/encode-stl.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx.close());

const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(fx.url + path);
  return { status: res.status, body: (await res.json()) as T };
};

describe('UI routes', () => {
  it('GET /v1/printers lists the built-in profiles with build volumes', async () => {
    const { status, body } = await get<{ id: string; buildVolumeMm: number[] }[]>('/v1/printers');
    expect(status).toBe(200);
    expect(body.find((p) => p.id === 'prusa-mk4')?.buildVolumeMm).toEqual([250, 210, 220]);
  });

  it('GET /v1/categories counts items per category', async () => {
    const { body } = await get<{ category: string; count: number }[]>('/v1/categories');
    expect(body).toEqual([
      { category: 'gear', count: 6 },
      { category: 'hook', count: 6 },
      { category: 'vase', count: 6 },
    ]);
  });

  it('GET /v1/items?printer= pages only through items that fit, with the other filters', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await get(
        `/v1/items?printer=prusa-mk4&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      all.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(all).toHaveLength(17); // vase-5 is 300 mm tall
    expect(all).not.toContain('vase-5');
    expect(new Set(all).size).toBe(17);
    const vases = await get<{ items: { id: string }[] }>('/v1/items?printer=prusa-mk4&category=vase&query=number');
    expect(vases.body.items.map((i) => i.id).sort()).toEqual(['vase-0', 'vase-1', 'vase-2', 'vase-3', 'vase-4']);
    expect((await get<{ code: string }>('/v1/items?printer=nope')).body.code).toBe('invalid_argument');
    expect((await get<{ code: string }>('/v1/items?printer=prusa-mk4&cursor=x')).status).toBe(400);
  });

  it('POST /v1/inspect reports printability for a printer without storing anything', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(encodeStlBinary(box([300, 20, 10])))]), 'long.stl');
    const res = await fetch(`${fx.url}/v1/inspect?printer=prusa-mini`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { filename: string; printability: { bboxMm: number[]; fitsPrinter: boolean } };
    expect(body.filename).toBe('long.stl');
    expect(body.printability.bboxMm).toEqual([300, 20, 10]);
    expect(body.printability.fitsPrinter).toBe(false);
    const bad = new FormData();
    bad.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'junk.stl');
    expect((await fetch(`${fx.url}/v1/inspect`, { method: 'POST', body: bad })).status).toBe(415); // not a mesh format
    expect((await get<{ items: unknown[] }>('/v1/items?limit=100')).body.items).toHaveLength(18);
  });

  it('GET /v1/items/:id/mesh.stl is 404 when the file is unreachable, 404 for unknown items', async () => {
    expect((await get<{ code: string }>('/v1/items/vase-1/mesh.stl')).body.code).toBe('not_found');
    expect((await get<{ code: string }>('/v1/items/nope/mesh.stl')).status).toBe(404);
  });

  it('GET /v1/insights/shape-map projects the embeddings; categories separate', async () => {
    const { status, body } = await get<{
      encoder: string;
      total: number;
      points: { itemId: string; category: string; x: number; y: number }[];
      explained: number[];
    }>('/v1/insights/shape-map');
    expect(status).toBe(200);
    expect(body.encoder).toBe('toy');
    expect(body.total).toBe(18);
    expect(body.points).toHaveLength(18);
    expect(body.explained[0]! + body.explained[1]!).toBeGreaterThan(0.5);
    const centre = (cat: string) => {
      const p = body.points.filter((q) => q.category === cat);
      return [p.reduce((s, q) => s + q.x, 0) / p.length, p.reduce((s, q) => s + q.y, 0) / p.length];
    };
    const [a, b, c] = ['vase', 'gear', 'hook'].map(centre) as [number[], number[], number[]];
    const dist = (u: number[], v: number[]) => Math.hypot(u[0]! - v[0]!, u[1]! - v[1]!);
    expect(Math.min(dist(a, b), dist(a, c), dist(b, c))).toBeGreaterThan(0.3);
    expect((await get<{ points: unknown[] }>('/v1/insights/shape-map?limit=5')).body.points).toHaveLength(5);
  });
});

describe('pca2', () => {
  it('finds the axes of largest variance', () => {
    // points on a line along (1, 1, 0) with small noise along z
    const n = 50;
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) data.set([i, i, (i % 3) * 0.1], i * 3);
    const { x, explained } = pca2(data, n, 3);
    expect(explained[0]).toBeGreaterThan(0.99);
    expect(Math.abs(x[n - 1]! - x[0]!)).toBeCloseTo(Math.SQRT2 * (n - 1), 3);
  });
});

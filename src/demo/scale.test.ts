import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { FAMILIES } from './families/index.js';
import { generateScale, scaleCatalog } from './scale.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-scale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('demo scale mode', () => {
  it('streams exactly the requested items and events, deterministically', async () => {
    const a = await generateScale({ out: join(root, 'a'), items: 3000, events: 20_000, seed: 4 });
    expect(a.events).toBe(20_000);
    const items = readFileSync(join(root, 'a', 'items.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(items).toHaveLength(3000);
    const first = JSON.parse(items[0]!);
    expect(first).toMatchObject({ id: 's0000000', category: FAMILIES[0]!.id });
    const rows = readFileSync(join(root, 'a', 'events.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(rows[0]).toBe('user,item,type,timestamp,weight');
    expect(rows).toHaveLength(20_001);
    const ids = new Set(items.map((l) => JSON.parse(l).id));
    for (const r of rows.slice(1, 2000)) expect(ids.has(r.split(',')[1]!)).toBe(true);
    const users = readFileSync(join(root, 'a', 'users.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(users).toHaveLength(a.users);
    // Activity is scaled to the default of events/40 expected users.
    expect(a.users).toBeGreaterThan(200);
    expect(a.users).toBeLessThan(1500);
    await generateScale({ out: join(root, 'b'), items: 3000, events: 20_000, seed: 4 });
    for (const f of ['items.jsonl', 'users.jsonl', 'events.csv', 'ground-truth.json']) {
      expect(readFileSync(join(root, 'b', f)).equals(readFileSync(join(root, 'a', f))), f).toBe(true);
    }
  });

  it('samples items by a closed form: every item reachable, popularity skewed, families respected', () => {
    const n = 1000;
    const c = scaleCatalog(n, 1);
    const rng = new Rng(2);
    const hits = new Array<number>(n).fill(0);
    let wrongFamily = 0;
    for (let i = 0; i < 200_000; i++) {
      const f = i % FAMILIES.length;
      const item = c.sample(f, rng);
      if (item % FAMILIES.length !== f) wrongFamily++;
      hits[item]!++;
    }
    expect(wrongFamily).toBe(0);
    expect(hits.filter((h) => h === 0).length).toBeLessThan(n * 0.05);
    const sorted = [...hits].sort((a, b) => b - a);
    expect(sorted.slice(0, n / 10).reduce((s, x) => s + x, 0) / 200_000).toBeGreaterThan(0.3);
    expect(c.traits(17)).toBe(scaleCatalog(n, 1).traits(17));
  });

  it('keeps memory flat while streaming (no per-event state)', async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const s = await generateScale({ out: join(root, 'big'), items: 50_000, events: 300_000, seed: 9 });
    const grown = process.memoryUsage().heapUsed - before;
    expect(s.events).toBe(300_000);
    expect(statSync(join(root, 'big', 'events.csv')).size).toBeGreaterThan(300_000 * 30);
    // 300k rows are ~15 MB on disk; holding them would cost far more heap than this bound.
    expect(grown).toBeLessThan(48 * 1024 * 1024);
  });
});

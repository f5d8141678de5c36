/**
 * The store contract suite: the same cases run against every adapter — SQLite (in memory) and PostgreSQL at
 * LAYERWISE_TEST_DATABASE_URL (a fresh schema per test, all dropped afterwards). PostgreSQL is skipped with a message
 * only when unreachable and CI is not 'true'.
 */
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrintabilityReport } from '../core/printability.js';
import { payloadLimits } from './artifacts.js';
import type { EventInput, ModelFileRecord, Store } from './ports.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';

const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = `lw_test_${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL unreachable at ${PG_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping PostgreSQL store contract: unreachable at ${PG_URL} (${(e as Error).message})`);
    return false;
  }
}

const adapters: { name: string; open: () => Promise<Store>; enabled: boolean }[] = [
  { name: 'sqlite', open: () => openSqliteStore(':memory:'), enabled: true },
  {
    name: 'postgres',
    open: () => {
      const schema = `${runId}_${schemas.length}`;
      schemas.push(schema);
      return openPostgresStore(PG_URL, { schema, max: 2 });
    },
    enabled: await pgReachable(),
  },
];

afterAll(async () => {
  if (schemas.length === 0) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  for (const s of schemas) await c.query(`drop schema if exists ${s} cascade`);
  await c.end();
});

const report = (triangles: number): PrintabilityReport =>
  ({ triangles, vertices: triangles / 2 + 2, watertight: true, volumeMm3: 1000 }) as PrintabilityReport;

function file(path: string, hash: string, extra: Partial<ModelFileRecord> = {}): ModelFileRecord {
  return {
    path,
    fileHash: hash.padEnd(64, '0'),
    sizeBytes: 684,
    format: 'stl-binary',
    report: report(12),
    error: null,
    metadata: {},
    ...extra,
  };
}

const ev = (userId: string, itemId: string, type: EventInput['type'], timestamp: number, weight = 1): EventInput => ({
  userId,
  itemId,
  type,
  weight,
  timestamp,
});

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`Store contract: ${adapter.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await adapter.open();
      return async () => store.close();
    });

    it('upserts items: undefined keeps a field, null clears it, a bare id makes a stub', async () => {
      const r1 = await store.upsertItems([
        { id: 'a', title: 'Gear', tags: ['gear', 'mcad'], category: 'parts', license: 'MIT', createdAt: 1000 },
        { id: 'b' },
      ]);
      expect(r1).toEqual({ inserted: 2, updated: 0 });
      const r2 = await store.upsertItems([{ id: 'a', license: null, description: 'A spur gear' }]);
      expect(r2).toEqual({ inserted: 0, updated: 1 });
      const a = await store.getItem('a');
      expect(a).toMatchObject({
        id: 'a',
        status: 'stub',
        title: 'Gear',
        description: 'A spur gear',
        license: null,
        tags: ['gear', 'mcad'],
        category: 'parts',
        createdAt: 1000,
        report: null,
      });
      expect((await store.getItem('b'))?.tags).toEqual([]);
      expect(await store.getItem('nope')).toBeNull();
      await expect(store.upsertItems([{ id: '' }])).rejects.toMatchObject({ code: 'invalid_argument' });
      const withReport = await store.upsertItems([{ id: 'c', report: report(4) }]);
      expect(withReport.inserted).toBe(1);
      expect((await store.getItem('c'))?.status).toBe('ready');
      expect((await store.getItem('c'))?.report?.triangles).toBe(4);
    });

    it('lists items changed since a time, oldest change first, with keyset paging', async () => {
      await store.upsertItems([{ id: 'a' }, { id: 'b' }]);
      const all = await store.itemsChangedSince(0);
      expect(all.map((i) => i.id).sort()).toEqual(['a', 'b']);
      const t = Math.max(...all.map((i) => i.updatedAt));
      await new Promise((r) => setTimeout(r, 5));
      await store.upsertItems([
        { id: 'c', title: 'new' },
        { id: 'a', title: 'changed' },
      ]);
      const later = await store.itemsChangedSince(t + 1);
      expect(later.map((i) => i.id).sort()).toEqual(['a', 'c']);
      expect(later[0]!.updatedAt).toBeLessThanOrEqual(later[1]!.updatedAt);
      // keyset: one page at a time, nothing twice, nothing skipped
      const seen: string[] = [];
      let since = 0;
      let after: string | undefined;
      for (;;) {
        const page = await store.itemsChangedSince(since, after, 1);
        if (page.length === 0) break;
        seen.push(page[0]!.id);
        since = page[0]!.updatedAt;
        after = page[0]!.id;
      }
      expect(seen.sort()).toEqual(['a', 'b', 'c']);
      await expect(store.itemsChangedSince(Number.NaN)).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('lists items with cursor paging and category / tag / query / status filters', async () => {
      const rows = Array.from({ length: 25 }, (_, i) => ({
        id: `item-${String(i).padStart(2, '0')}`,
        title: i % 2 ? `Vase ${i}` : `Hook_${i}`,
        tags: i % 3 === 0 ? ['round', '50%'] : ['flat'],
        category: i < 10 ? 'home' : 'tools',
        status: i === 24 ? ('failed' as const) : ('ready' as const),
      }));
      await store.upsertItems(rows);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listItems({ limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(rows.slice(0, 24).map((r) => r.id));
      expect((await store.listItems({ category: 'home' })).items).toHaveLength(10);
      expect((await store.listItems({ tag: 'round' })).items.map((i) => i.id)).toEqual(
        ['00', '03', '06', '09', '12', '15', '18', '21'].map((s) => `item-${s}`),
      );
      expect((await store.listItems({ tag: '50%' })).items).toHaveLength(8);
      expect((await store.listItems({ tag: 'roun' })).items).toHaveLength(0);
      expect((await store.listItems({ query: 'VASE 1' })).items.map((i) => i.id)).toEqual([
        'item-01',
        'item-11',
        'item-13',
        'item-15',
        'item-17',
        'item-19',
      ]);
      expect((await store.listItems({ query: 'hook_' })).items).toHaveLength(12);
      expect((await store.listItems({ status: 'failed' })).items.map((i) => i.id)).toEqual(['item-24']);
      await expect(store.listItems({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
    });

    it('commits model files by content hash, then path; failed files are stored and retried', async () => {
      const job = await store.startJob('models', { paths: ['lib'] });
      const out1 = await store.commitModelFiles(job, [
        file('lib/a.stl', 'aa', { metadata: { title: 'A' } }),
        file('lib/b.stl', 'bb'),
        file('lib/bad.stl', 'cc', { report: null, error: { code: 'parse_error', message: 'truncated' } }),
        file('lib/a-copy.stl', 'aa'),
      ]);
      expect(out1.map((o) => o.outcome)).toEqual(['added', 'added', 'failed', 'unchanged']);
      expect(out1[0]?.itemId).toBe('aa00000000000000');
      const again = await store.commitModelFiles(job, [
        file('lib/a.stl', 'aa', { metadata: { title: 'A' }, known: true }),
      ]);
      expect(again[0]?.outcome).toBe('unchanged');
      const meta = await store.commitModelFiles(job, [
        file('lib/a.stl', 'aa', { metadata: { title: 'A2' }, known: true }),
      ]);
      expect(meta[0]?.outcome).toBe('updated');
      const changed = await store.commitModelFiles(job, [file('lib/b.stl', 'dd', { report: report(24) })]);
      expect(changed[0]).toMatchObject({ outcome: 'updated', itemId: 'bb00000000000000' });
      const b = await store.getItem('bb00000000000000');
      expect(b?.fileHash).toBe('dd'.padEnd(64, '0'));
      expect(b?.report?.triangles).toBe(24);
      const stillBad = await store.commitModelFiles(job, [
        file('lib/bad.stl', 'cc', { report: null, error: { code: 'parse_error', message: 'truncated' } }),
      ]);
      expect(stillBad[0]?.outcome).toBe('failed');
      const fixed = await store.commitModelFiles(job, [file('lib/bad.stl', 'cc')]);
      expect(fixed[0]?.outcome).toBe('updated');
      expect((await store.getItem('cc00000000000000'))?.status).toBe('ready');
      await store.upsertItems([{ id: 'demo-7' }]);
      const filled = await store.commitModelFiles(job, [
        file('lib/e.stl', 'ee', { metadata: { id: 'demo-7', tags: ['x'] } }),
      ]);
      expect(filled[0]).toMatchObject({ outcome: 'added', itemId: 'demo-7' });
      expect(await store.getItem('demo-7')).toMatchObject({ status: 'ready', tags: ['x'], path: 'lib/e.stl' });
      const outcomes = await store.jobOutcomes(job);
      expect(outcomes).toHaveLength(10);
      expect((await store.jobOutcomes(job, { outcome: 'failed' })).map((o) => o.message)).toEqual([
        'truncated',
        'truncated',
      ]);
      const s = await store.stats();
      expect(s.items).toEqual({ total: 4, byFormat: { 'stl-binary': 4 }, failed: 0, stubs: 0 });
    });

    it('adds events idempotently, creating users and stub items or rejecting unknown items', async () => {
      await store.upsertItems([{ id: 'i1', report: report(12) }]);
      const r = await store.addEvents([
        ev('u1', 'i1', 'view', 1000),
        ev('u1', 'i1', 'view', 1000),
        ev('u1', 'i1', 'like', 1000, 3),
        ev('u2', 'i2', 'rating', 2000, 4),
      ]);
      expect(r).toEqual({ inserted: 3, duplicates: 1, rejected: [] });
      expect((await store.getItem('i2'))?.status).toBe('stub');
      const again = await store.addEvents([ev('u1', 'i1', 'view', 1000), ev('u1', 'i1', 'view', 1001)]);
      expect(again).toEqual({ inserted: 1, duplicates: 1, rejected: [] });
      const rej = await store.addEvents([ev('u3', 'zz', 'view', 5), ev('u3', 'i1', 'view', 5)], {
        unknownItems: 'reject',
      });
      expect(rej).toEqual({ inserted: 1, duplicates: 0, rejected: [0] });
      expect(await store.getItem('zz')).toBeNull();
      expect((await store.listUsers()).items.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
      await expect(store.addEvents([{ ...ev('u', 'i1', 'view', 1), type: 'poke' as never }])).rejects.toMatchObject({
        code: 'invalid_argument',
      });
      const s = await store.stats();
      expect(s.events).toEqual({ total: 5, byType: { view: 3, like: 1, rating: 1 } });
      expect(s.users).toBe(3);
      expect(s.items).toMatchObject({ total: 2, stubs: 1, failed: 0 });
    });

    it('bulk-adds large batches with awkward ids exactly once, duplicates inside the batch included', async () => {
      const odd = ['tab\tuser', 'new\nline', 'back\\slash', 'quote"\'', 'ünï€ode', 'comma,semi;'];
      const events: EventInput[] = [];
      for (let i = 0; i < 1234; i++)
        events.push({ ...ev(odd[i % odd.length]!, `it${i % 17}`, 'rating', 1_000 + i, 2.5), value: i % 5 });
      const r = await store.addEvents([...events, ...events.slice(0, 300)]);
      expect(r).toEqual({ inserted: 1234, duplicates: 300, rejected: [] });
      expect(await store.addEvents(events)).toEqual({ inserted: 0, duplicates: 1234, rejected: [] });
      const back = [];
      for await (const page of store.iterateEvents()) back.push(...page);
      expect(back.map(({ seq, ...e }) => e)).toEqual(events.map((e) => ({ ...e, recommendationId: null })));
      expect((await store.listUsers({ limit: 100 })).items.map((u) => u.id).sort()).toEqual([...odd].sort());
      const rej = await store.addEvents(
        [ev('x', 'nope1', 'view', 1), ev('x', 'it1', 'view', 1), ev('x', 'nope2', 'view', 1)],
        {
          unknownItems: 'reject',
        },
      );
      expect(rej).toEqual({ inserted: 1, duplicates: 0, rejected: [0, 2] });
    });

    it('scans events as columnar chunks in insertion order, optionally by type', async () => {
      const events = Array.from({ length: 2100 }, (_, i) =>
        ev(`u${i % 7}`, `i${i % 13}`, i % 3 === 0 ? 'like' : 'view', 1_700_000_000_000 + i, 1 + (i % 3)),
      );
      await store.addEvents(events);
      const sizes: number[] = [];
      const users: string[] = [];
      const ts: number[] = [];
      let wsum = 0;
      for await (const c of store.scanEvents({ chunkSize: 1000 })) {
        sizes.push(c.users.length);
        users.push(...c.users);
        ts.push(...c.timestamps);
        for (const w of c.weights) wsum += w;
        expect(c.items).toHaveLength(c.users.length);
      }
      expect(sizes).toEqual([1000, 1000, 100]);
      expect(users).toEqual(events.map((e) => e.userId));
      expect(ts).toEqual(events.map((e) => e.timestamp));
      expect(wsum).toBe(events.reduce((a, e) => a + e.weight, 0));
      let likes = 0;
      for await (const c of store.scanEvents({ types: ['like'] })) likes += c.users.length;
      expect(likes).toBe(700);
    });

    it('scans events grouped by user without splitting a user, through a sequence number; sums users', async () => {
      expect(await store.maxEventSeq()).toBe(0);
      // u0 has 1,500 events (more than a chunk), the others 50 each, inserted interleaved
      const events: EventInput[] = [];
      for (let i = 0; i < 1500; i++)
        events.push(ev('u0', `i${i % 11}`, i % 2 ? 'view' : 'like', 1_700_000_000_000 + i));
      for (let u = 1; u <= 20; u++)
        for (let i = 0; i < 50; i++) events.push(ev(`u${u}`, `i${i % 7}`, 'make', 1_700_000_000_000 - i, 2));
      await store.addEvents(events);
      const seqAll = await store.maxEventSeq();
      expect(seqAll).toBeGreaterThanOrEqual(events.length);
      const seen = new Map<string, number>();
      let chunks = 0;
      let prev = '';
      for await (const c of store.scanEventsByUser({ chunkSize: 400 })) {
        chunks++;
        const first = c.users[0]!;
        expect(seen.has(first)).toBe(false); // a user never continues from the previous chunk
        expect(first > prev).toBe(true);
        for (let i = 0; i < c.users.length; i++) {
          seen.set(c.users[i]!, (seen.get(c.users[i]!) ?? 0) + 1);
          if (i > 0 && c.users[i] === c.users[i - 1])
            expect(c.timestamps[i]!).toBeGreaterThanOrEqual(c.timestamps[i - 1]!);
        }
        expect(c.types).toHaveLength(c.users.length);
        prev = c.users.at(-1)!;
      }
      expect(seen.get('u0')).toBe(1500);
      expect(seen.size).toBe(21);
      expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(events.length);
      expect(chunks).toBeGreaterThan(2);
      // through a sequence number: only the first 1,500 rows (u0's) were inserted by then
      const history = await store.userHistory('u0', { limit: 1 });
      let through = 0;
      for await (const c of store.scanEventsByUser({ throughSeq: history[0]!.seq })) through += c.users.length;
      expect(through).toBe(1500);
      const sums = await store.userEventSummaries(['u0', 'u3', 'nobody']);
      expect(sums.get('u0')).toEqual({
        events: 1500,
        lastActive: 1_700_000_000_000 + 1499,
        byType: { like: 750, view: 750 },
      });
      expect(sums.get('u3')).toEqual({ events: 50, lastActive: 1_700_000_000_000, byType: { make: 50 } });
      expect(sums.has('nobody')).toBe(false);
    });

    it('pages events in insertion order and returns a user history newest first', async () => {
      const events = Array.from({ length: 2500 }, (_, i) =>
        ev(`u${i % 7}`, `i${i % 13}`, 'view', 1_700_000_000_000 + i, 1 + (i % 3)),
      );
      expect((await store.addEvents(events)).inserted).toBe(2500);
      const pages: number[] = [];
      const all = [];
      for await (const page of store.iterateEvents({ pageSize: 1000 })) {
        pages.push(page.length);
        all.push(...page);
      }
      expect(pages).toEqual([1000, 1000, 500]);
      expect(all.map((e) => e.timestamp)).toEqual(events.map((e) => e.timestamp));
      expect(all[5]).toMatchObject({ userId: 'u5', itemId: 'i5', type: 'view', weight: 3, value: null });
      const tail = [];
      for await (const page of store.iterateEvents({ afterSeq: all[2400]!.seq })) tail.push(...page);
      expect(tail).toHaveLength(99);
      const h = await store.userHistory('u3', { limit: 3 });
      expect(h.map((e) => e.timestamp)).toEqual([
        1_700_000_000_000 + 2495,
        1_700_000_000_000 + 2488,
        1_700_000_000_000 + 2481,
      ]);
      // the lean read (what the index holds): the same events, value and recommendation id left out
      const full = (await store.userHistory('u3', { limit: 50 })).map((e) => ({ ...e, value: 7 }));
      const lean = await store.userHistory('u3', { limit: 50, lean: true });
      expect(lean.map((e) => ({ ...e, value: 7 }))).toEqual(full);
      expect(lean.every((e) => e.value === null && e.recommendationId === null)).toBe(true);
      // several users in one round trip: the same newest-first lists, per-user limit, absent users left out
      const many = await store.userHistories(['u3', 'u5', 'nobody', 'u3'], { limit: 3 });
      expect([...many.keys()].sort()).toEqual(['u3', 'u5']);
      expect(many.get('u3')).toEqual(h);
      expect(many.get('u5')).toEqual(await store.userHistory('u5', { limit: 3 }));
      // only events on the given items (u3 sees i3 at i = 3, 94, 185, …: every 91st event)
      const onItem = await store.userHistories(['u3', 'u4'], { limit: 10_000, itemIds: ['i3'] });
      expect(onItem.get('u3')!.every((e) => e.itemId === 'i3')).toBe(true);
      expect(onItem.get('u3')!.length).toBe(events.filter((e) => e.userId === 'u3' && e.itemId === 'i3').length);
      expect(onItem.get('u3')!.length).toBeGreaterThan(20);
      expect(onItem.get('u4')!.length).toBe(events.filter((e) => e.userId === 'u4' && e.itemId === 'i3').length);
      expect((await store.userHistories(['u3'], { itemIds: [] })).size).toBe(0);
      await expect(
        store.userHistories(['u3'], { itemIds: Array.from({ length: 1001 }, (_, i) => `x${i}`) }),
      ).rejects.toMatchObject({ code: 'invalid_argument' });
      expect(await store.countEvents()).toBe(2500);
    });

    it('stores users with attributes and pages them', async () => {
      await store.upsertUsers([{ id: 'u1', attrs: { taste: ['vases'] } }, { id: 'u2' }, { id: 'u3' }]);
      await store.upsertUsers([{ id: 'u2' }, { id: 'u1', attrs: { taste: ['gears'] } }]);
      expect((await store.getUser('u1'))?.attrs).toEqual({ taste: ['gears'] });
      const p1 = await store.listUsers({ limit: 2 });
      expect(p1.items.map((u) => u.id)).toEqual(['u1', 'u2']);
      const p2 = await store.listUsers({ limit: 2, cursor: p1.nextCursor! });
      expect(p2).toMatchObject({ items: [{ id: 'u3' }], nextCursor: null });
    });

    it('round-trips embeddings exactly', async () => {
      const v = (s: number) => Float32Array.from({ length: 8 }, (_, i) => Math.sin(s + i) * 1e-3 + i);
      await store.putEmbeddings('shape-v1', [
        { itemId: 'b', vector: v(2) },
        { itemId: 'a', vector: v(1) },
      ]);
      await store.putEmbeddings('shape-v1', [{ itemId: 'b', vector: v(3) }]);
      const got = await store.getEmbeddings('shape-v1', ['a', 'b', 'c']);
      expect([...got.keys()].sort()).toEqual(['a', 'b']);
      expect(Array.from(got.get('b')!)).toEqual(Array.from(v(3)));
      const all = await store.allEmbeddings('shape-v1');
      expect(all.itemIds).toEqual(['a', 'b']);
      expect(all.dim).toBe(8);
      expect(Array.from(all.vectors.subarray(0, 8))).toEqual(Array.from(v(1)));
      expect((await store.allEmbeddings('other')).vectors).toHaveLength(0);
      await store.putEmbeddings('other-v2', [{ itemId: 'a', vector: v(4) }]);
      expect(await store.embeddingCounts()).toEqual({ 'shape-v1': 2, 'other-v2': 1 });
      expect((await store.stats()).embeddings).toEqual(await store.embeddingCounts());
      await expect(
        store.putEmbeddings('x', [
          { itemId: 'a', vector: v(1) },
          { itemId: 'b', vector: new Float32Array(3) },
        ]),
      ).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    });

    it('versions model artifacts and switches the active one atomically', async () => {
      const m1 = await store.saveModel({
        name: 'ease',
        config: { lambda: 100 },
        configHash: 'h1',
        metrics: { ndcg: 0.3 },
      });
      const m2 = await store.saveModel({
        name: 'ease',
        config: { lambda: 200 },
        configHash: 'h2',
        payload: new Uint8Array([1, 2, 3]),
      });
      expect([m1.version, m2.version]).toEqual([1, 2]);
      await expect(store.saveModel({ name: 'ease', version: 2, config: {}, configHash: 'x' })).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await store.getActiveModel('ease')).toBeNull();
      await store.setActiveModel('ease', 1);
      await store.setActiveModel('ease', 2);
      const active = await store.getActiveModel('ease');
      expect(active).toMatchObject({ version: 2, config: { lambda: 200 }, configHash: 'h2', active: true });
      expect(Array.from(active!.payload!)).toEqual([1, 2, 3]);
      expect(await store.getActiveModel('ease', { payload: false })).toMatchObject({ version: 2, payload: null });
      expect((await store.listModels('ease')).map((m) => [m.version, m.active, m.payload])).toEqual([
        [1, false, null],
        [2, true, null],
      ]);
      expect((await store.getModel('ease'))?.version).toBe(2);
      expect((await store.getModel('ease', 1))?.metrics).toEqual({ ndcg: 0.3 });
      await expect(store.setActiveModel('ease', 9)).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.getActiveModel('ease'))?.version).toBe(2);
    });

    it('stores a payload above the inline limit in chunks and returns it byte for byte', async () => {
      const saved = { ...payloadLimits };
      Object.assign(payloadLimits, { inlineMax: 1000, chunk: 300 }); // stands in for 256 MiB / 16 MiB
      try {
        const bytes = Uint8Array.from({ length: 2500 }, (_, i) => (i * 7) % 251);
        const m = await store.saveModel({ name: 'ials', config: {}, configHash: 'big', payload: bytes });
        expect(m.payload).toBe(bytes);
        const small = await store.saveModel({ name: 'ials', config: {}, configHash: 's', payload: bytes.slice(0, 9) });
        expect(Array.from((await store.getModel('ials', m.version))!.payload!)).toEqual(Array.from(bytes));
        expect(Array.from((await store.getModel('ials', small.version))!.payload!)).toEqual(
          Array.from(bytes.slice(0, 9)),
        );
        await store.setActiveModel('ials', m.version);
        expect(Array.from((await store.getActiveModel('ials'))!.payload!)).toEqual(Array.from(bytes));
        expect((await store.getActiveModel('ials', { payload: false }))!.payload).toBeNull();
        expect((await store.listModels('ials')).map((x) => x.payload)).toEqual([null, null]);
        await store.setActiveModel('ials', small.version);
        expect(await store.deleteModel('ials', m.version)).toBe(true);
        expect(await store.getModel('ials', m.version)).toBeNull();
        // a later version with the same number (after a delete) does not find the old chunks
        const again = await store.saveModel({ name: 'ials', version: m.version, config: {}, configHash: 'n' });
        expect((await store.getModel('ials', again.version))!.payload).toBeNull();
      } finally {
        Object.assign(payloadLimits, saved);
      }
    });

    it('stores a serving form beside the payload and returns it only when asked', async () => {
      const full = Uint8Array.from({ length: 700 }, (_, i) => i % 256);
      const form = Uint8Array.from({ length: 90 }, (_, i) => 255 - i);
      const m = await store.saveModel({
        name: 'ials',
        config: {},
        configHash: 'f',
        payload: full,
        servingPayload: form,
      });
      const plain = await store.saveModel({ name: 'ials', config: {}, configHash: 'p', payload: full.slice(0, 5) });
      expect(Array.from((await store.getModel('ials', m.version))!.payload!)).toEqual(Array.from(full));
      expect(Array.from((await store.getModel('ials', m.version, { serving: true }))!.payload!)).toEqual(
        Array.from(form),
      );
      // no serving form stored: the whole payload
      expect(Array.from((await store.getModel('ials', plain.version, { serving: true }))!.payload!)).toEqual(
        Array.from(full.slice(0, 5)),
      );
      const meta = await store.getModel('ials', m.version, { payload: false });
      expect(meta).toMatchObject({ name: 'ials', version: m.version, payload: null });
      expect(await store.getModel('ials', 99, { serving: true })).toBeNull();
      await store.setActiveModel('ials', plain.version);
      expect(await store.deleteModel('ials', m.version)).toBe(true);
      // the number reused after a delete does not find the old serving form
      const again = await store.saveModel({
        name: 'ials',
        version: m.version,
        config: {},
        configHash: 'n',
        payload: full,
      });
      expect(Array.from((await store.getModel('ials', again.version, { serving: true }))!.payload!)).toEqual(
        Array.from(full),
      );
    });

    it('records ingest jobs', async () => {
      const id = await store.startJob('events', { file: 'u.data' });
      await store.addJobOutcomes(id, [
        { file: 'u.data:7', outcome: 'failed', itemId: null, code: 'parse_error', message: 'bad' },
      ]);
      await store.finishJob(id, 'done', { inserted: 5 });
      expect(await store.getJob(id)).toMatchObject({
        kind: 'events',
        status: 'done',
        params: { file: 'u.data' },
        summary: { inserted: 5 },
      });
      expect((await store.listJobs())[0]?.id).toBe(id);
      expect(await store.jobOutcomes(id)).toEqual([
        { file: 'u.data:7', outcome: 'failed', itemId: null, code: 'parse_error', message: 'bad' },
      ]);
    });
  });
}

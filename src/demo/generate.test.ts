import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../core/ids.js';
import { analyzeMesh } from '../geometry/analyze.js';
import { createEventCodec } from '../io/events.js';
import { parseMesh } from '../io/parse.js';
import { EPOCH_END, EPOCH_START } from './catalog.js';
import { FAMILIES } from './families/index.js';
import { type DemoSummary, generateDemo } from './generate.js';
import { type GroundTruth, readGroundTruth } from './ground-truth.js';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listFiles(p, `${prefix}${name}/`) : [`${prefix}${name}`];
    });
}

describe('generateDemo (60 items, 300 users)', () => {
  let root: string;
  let a: string;
  let summary: DemoSummary;
  let truth: GroundTruth;
  let events: { user: string; item: string; type: string; timestamp: number; weight: number }[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'layerwise-demo-'));
    a = join(root, 'a');
    summary = await generateDemo({ out: a, items: 60, users: 300, seed: 11 });
    truth = readGroundTruth(a);
    const codec = createEventCodec('csv');
    events = readFileSync(join(a, 'events.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .flatMap((line, i) => {
        const r = codec(line, i + 1);
        if (r.kind === 'error') throw new Error(`events.csv:${i + 1}: ${r.error.message}`);
        return r.kind === 'event'
          ? [
              {
                user: r.event.userId,
                item: r.event.itemId,
                type: r.event.type,
                timestamp: r.event.timestamp,
                weight: r.event.weight,
              },
            ]
          : [];
      });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the same bytes for the same seed, and different ones for another seed', async () => {
    const b = join(root, 'b');
    await generateDemo({ out: b, items: 60, users: 300, seed: 11 });
    const files = listFiles(a);
    expect(listFiles(b)).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const c = join(root, 'c');
    await generateDemo({ out: c, items: 60, users: 30, seed: 12 });
    expect(readFileSync(join(c, 'metadata.jsonl')).equals(readFileSync(join(a, 'metadata.jsonl')))).toBe(false);
    // Regenerating into a demo folder replaces it (no stale models); a foreign non-empty folder is refused.
    await generateDemo({ out: c, items: 14, users: 2, seed: 12 });
    expect(listFiles(join(c, 'models'))).toHaveLength(14);
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await expect(generateDemo({ out: foreign, items: 14, users: 2, seed: 1 })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('writes STL and 3MF files that parse back as watertight solids, one per metadata line', () => {
    const meta = readFileSync(join(a, 'metadata.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(meta).toHaveLength(60);
    expect(summary.files.stl + summary.files['3mf']).toBe(60);
    expect(summary.files['3mf']).toBeGreaterThan(0);
    expect(summary.families).toBe(FAMILIES.length);
    for (const m of meta) {
      for (const field of ['path', 'id', 'title', 'description', 'license', 'creator', 'category', 'createdAt']) {
        expect(typeof m[field], `${m.id}.${field}`).toBe('string');
      }
      expect(m.path).toBe(`models/${m.category}/${m.id}.${m.path.endsWith('.3mf') ? '3mf' : 'stl'}`);
      expect(m.tags.length).toBeGreaterThan(1);
      const mesh = parseMesh(new Uint8Array(readFileSync(join(a, m.path))));
      const report = analyzeMesh(mesh);
      expect(report.watertight, m.path).toBe(true);
      expect(report.nonManifoldEdges).toBe(0);
      expect(Math.max(...report.bboxMm)).toBeLessThanOrEqual(240);
    }
    // Every file is a distinct item to the store (identity is the content hash).
    const hashes = new Set(meta.map((m) => contentHash(new Uint8Array(readFileSync(join(a, m.path))))));
    expect(hashes.size).toBe(60);
    const ids = new Map(meta.map((m) => [m.id, m]));
    const remixes = meta.filter((m) => m.remixOf);
    expect(remixes.length).toBeGreaterThan(0);
    for (const r of remixes) {
      const original = ids.get(r.remixOf)!;
      expect(original.category).toBe(r.category);
      expect(Date.parse(r.createdAt)).toBeGreaterThan(Date.parse(original.createdAt));
    }
  });

  it('writes events that follow the funnel, inside the year, after publication', () => {
    expect(events).toHaveLength(summary.events);
    const created = new Map(Object.entries(truth.items).map(([id]) => [id, 0]));
    for (const line of readFileSync(join(a, 'metadata.jsonl'), 'utf8').trimEnd().split('\n')) {
      const m = JSON.parse(line);
      created.set(m.id, Date.parse(m.createdAt));
    }
    const firstView = new Map<string, number>();
    let last = 0;
    for (const e of events) {
      expect(e.timestamp).toBeGreaterThanOrEqual(last);
      last = e.timestamp;
      expect(e.timestamp).toBeGreaterThanOrEqual(Math.max(EPOCH_START, created.get(e.item)!));
      expect(e.timestamp).toBeLessThan(EPOCH_END);
      const key = `${e.user}|${e.item}`;
      if (e.type === 'view') firstView.set(key, e.timestamp);
      else expect(firstView.get(key), `${e.type} without a view`).toBeLessThanOrEqual(e.timestamp);
    }
    const count = (t: string) => events.filter((e) => e.type === t).length;
    expect(count('view')).toBeGreaterThan(count('like'));
    expect(count('like')).toBeGreaterThan(count('make'));
    expect(count('download')).toBeGreaterThan(count('make'));
    expect(count('make')).toBeGreaterThan(0);
  });

  it("lets each user's top ground-truth family be recovered from their events (see events.test.ts for traits)", () => {
    const family = new Map(Object.entries(truth.items).map(([id, it]) => [id, it.family]));
    const byUser = new Map<string, Map<string, number>>();
    for (const e of events) {
      const m = byUser.get(e.user) ?? new Map<string, number>();
      const f = family.get(e.item)!;
      m.set(f, (m.get(f) ?? 0) + e.weight);
      byUser.set(e.user, m);
    }
    let hits = 0;
    let users = 0;
    for (const [user, m] of byUser) {
      const total = [...m.values()].reduce((s, x) => s + x, 0);
      if (total < 15) continue;
      users++;
      const best = [...m.entries()].sort((x, y) => y[1] - x[1])[0]![0];
      if (best === truth.users[user]!.topFamily) hits++;
    }
    expect(users).toBeGreaterThan(40);
    expect(Object.keys(truth.users)).toHaveLength(300);
    expect(truth.families).toEqual(FAMILIES.map((f) => f.id));
    for (const u of Object.values(truth.users)) {
      expect(Object.values(u.families).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 3);
    }
    expect(hits / users).toBeGreaterThan(0.7);
  });
  it('records ordered projects in the ground truth, and users who follow one print its steps in order', () => {
    const projects = Object.entries(truth.projects);
    expect(projects.length).toBe(5); // ceil(60 / 12)
    for (const [id, p] of projects) {
      expect(id.startsWith(p.kind)).toBe(true);
      expect(new Set(p.items).size).toBe(p.items.length);
      p.items.forEach((item, step) => {
        expect(truth.items[item]!.project).toEqual({ id, step });
      });
    }
    const latest = new Map<string, number>();
    const firstView = new Map<string, number>();
    for (const e of events) {
      const key = `${e.user}|${e.item}`;
      latest.set(key, Math.max(latest.get(key) ?? 0, e.timestamp));
      if (e.type === 'view' && !firstView.has(key)) firstView.set(key, e.timestamp);
    }
    let followed = 0;
    let pairs = 0;
    for (const [user, u] of Object.entries(truth.users)) {
      for (const { id, items: steps } of u.projects) {
        followed++;
        const all = truth.projects[id]!.items;
        // the steps printed are the project's own, in its order
        expect(steps.map((i) => all.indexOf(i))).toEqual(steps.map((i) => all.indexOf(i)).sort((x, y) => x - y));
        expect(steps.every((i) => all.includes(i))).toBe(true);
        // each printed step is looked at only after everything done on the step before it
        for (let s = 1; s < steps.length; s++) {
          pairs++;
          expect(firstView.get(`${user}|${steps[s]}`)!).toBeGreaterThan(latest.get(`${user}|${steps[s - 1]}`)!);
        }
      }
    }
    expect(followed).toBeGreaterThan(20);
    expect(pairs).toBeGreaterThan(10);
  });
});

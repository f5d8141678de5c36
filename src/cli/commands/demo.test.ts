import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withStore } from '../../app/store.js';
import { main } from '../main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), isTty: false }, out, err };
}

const root = mkdtempSync(join(tmpdir(), 'layerwise-demo-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('layerwise demo', () => {
  it('generates and ingests a small library into the data dir; a second run adds nothing', async () => {
    const dataDir = join(root, 'data');
    const out = join(root, 'lib');
    const args = [
      'demo',
      '--items',
      '30',
      '--users',
      '50',
      '--seed',
      '3',
      '--out',
      out,
      '--data-dir',
      dataDir,
      '--json',
    ];
    const c = capture();
    expect(await main(args, c.io)).toBe(0);
    const s = JSON.parse(c.out.join(''));
    expect(s).toMatchObject({ items: 30, users: 50, families: 14 });
    expect(s.ingested.models).toMatchObject({ scanned: 30, added: 30, failed: 0 });
    expect(s.ingested.events).toMatchObject({ added: s.events, failed: 0 });
    expect(c.err.some((l) => l.startsWith('demo: models 30/30'))).toBe(true);
    await withStore({ dataDir, databaseUrl: null }, async (store) => {
      const stats = await store.stats();
      expect(stats.items.total).toBe(30);
      expect(stats.items.stubs).toBe(0);
      expect(stats.users).toBe(50);
      expect(stats.events.total).toBe(s.events);
      const page = await store.listItems({ limit: 100 });
      const remix = page.items.find((i) => i.remixOf !== null);
      if (remix) expect(page.items.some((i) => i.id === remix.remixOf)).toBe(true);
      const vase = page.items.find((i) => i.category === 'vase');
      expect(vase?.report?.watertight).toBe(true);
      expect(vase?.title).toBeTruthy();
      const user = await store.getUser('u00000');
      expect(user?.attrs).toMatchObject({ demo: true });
    });
    const again = capture();
    expect(await main(args, again.io)).toBe(0);
    const s2 = JSON.parse(again.out.join(''));
    expect(s2.ingested.models).toMatchObject({ added: 0, unchanged: 30 });
    expect(s2.ingested.events.added).toBe(0);
  });

  it('--no-ingest only writes files; --scale streams metadata-only items; bad flags are usage errors', async () => {
    const c = capture();
    const out = join(root, 'files');
    expect(
      await main(['demo', '--items', '14', '--users', '5', '--out', out, '--no-ingest', '--no-progress'], c.io),
    ).toBe(0);
    expect(c.out.join('\n')).toContain('not ingested');
    expect(readdirSync(out).sort()).toEqual(['events.csv', 'ground-truth.json', 'metadata.jsonl', 'models']);
    const sc = capture();
    const dataDir = join(root, 'scale-data');
    const scaleArgs = [
      'demo',
      '--scale',
      '--items',
      '500',
      '--events',
      '3000',
      '--out',
      join(root, 'scale'),
      '--data-dir',
      dataDir,
      '--json',
    ];
    expect(await main(scaleArgs, sc.io)).toBe(0);
    const s = JSON.parse(sc.out.join(''));
    expect(s).toMatchObject({ items: 500, events: 3000 });
    expect(s.ingested).toMatchObject({ items: 500, events: { added: 3000, failed: 0 } });
    const bad = capture();
    expect(await main(['demo', '--items', 'lots', '--no-ingest'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('--items must be an integer');
  });
});

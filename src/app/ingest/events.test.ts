/**
 * `ingestEvents` on both stores with small batches: batches in flight at once (PostgreSQL's default), duplicates
 * inside and across batches, unknown items rejected by line — the same rows and counts as one batch at a time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testAdapters } from '../../store/adapters.case.js';
import { ingestEvents } from './events.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-ingest-events-'));
const { adapters, dropSchemas } = await testAdapters('lw_ingest_events');
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await dropSchemas();
});

// 3,000 rows: every 7th repeats the row 250 lines above it (an exact duplicate, usually in an earlier batch), every
// 101st names an item that is not in the catalogue.
const file = join(tmp, 'events.csv');
const rows: string[] = ['user,item,type,timestamp'];
for (let i = 0; i < 3000; i++) {
  if (i % 7 === 6 && i >= 250) rows.push(rows[i + 1 - 250]!);
  else rows.push(`u${i % 37},${i % 101 === 100 ? 'missing' : `i${(i * 13) % 90}`},view,${1_700_000_000 + i}`);
}
writeFileSync(file, `${rows.join('\n')}\n`);
const unknown = rows.filter((r) => r.includes(',missing,')).length;
const distinct = new Set(rows.slice(1).filter((r) => !r.includes(',missing,'))).size;

for (const adapter of adapters) {
  describe.runIf(adapter.enabled)(`ingestEvents: ${adapter.name}`, () => {
    it('in-flight batches store exactly the rows of one-at-a-time batches; re-runs add nothing', async () => {
      const dump = async (store: Awaited<ReturnType<typeof adapter.open>>) => {
        const out: string[] = [];
        for await (const page of store.iterateEvents()) {
          for (const e of page) out.push(`${e.userId},${e.itemId},${e.type},${e.timestamp}`);
        }
        return out.sort();
      };
      const results: string[][] = [];
      for (const inFlight of [1, 3]) {
        const store = await adapter.open();
        try {
          await store.upsertItems(Array.from({ length: 90 }, (_, i) => ({ id: `i${i}` })));
          const r = await ingestEvents(store, file, { batchSize: 200, inFlight, threads: 0, unknownItems: 'reject' });
          expect(r).toMatchObject({ scanned: 3000, added: distinct, rejected: unknown, failed: unknown });
          expect(r.duplicates).toBe(3000 - unknown - distinct);
          expect(r.errors.map((e) => e.line)).toEqual(
            rows.flatMap((row, line) => (row.includes(',missing,') ? [line + 1] : [])),
          );
          const again = await ingestEvents(store, file, {
            batchSize: 200,
            inFlight,
            threads: 0,
            unknownItems: 'reject',
          });
          expect(again).toMatchObject({ added: 0, duplicates: 3000 - unknown, rejected: unknown });
          results.push(await dump(store));
        } finally {
          await store.close();
        }
      }
      expect(results[0]).toHaveLength(distinct);
      expect(results[1]).toEqual(results[0]);
    });
  });
}

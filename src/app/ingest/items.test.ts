/** Catalogue ingest: streamed, idempotent (a re-run changes nothing), bad rows reported by line, vectors stored. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import { ingestItemsFile } from './items.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-items-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingestItemsFile', () => {
  it('adds, then leaves unchanged, then updates only what changed; stubs from events gain metadata', async () => {
    const store = await openSqliteStore(':memory:');
    await store.addEvents([{ userId: 'u1', itemId: 'i0003', type: 'view', weight: 1, timestamp: 5 }]);
    const file = join(dir, 'items.jsonl');
    const rows = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ id: `i${String(i).padStart(4, '0')}`, title: `Thing ${i}`, tags: ['a', `t${i % 3}`] }),
    );
    rows.splice(10, 0, '{"title":"no id"}', 'not json');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const first = await ingestItemsFile(store, file, { batchSize: 700 });
    expect(first).toMatchObject({ scanned: 2502, added: 2499, updated: 1, unchanged: 0, failed: 2 });
    expect(first.errors.map((e) => e.line)).toEqual([11, 12]);
    expect(await store.getItem('i0003')).toMatchObject({ status: 'stub', title: 'Thing 3', tags: ['a', 't0'] });
    const again = await ingestItemsFile(store, file, { batchSize: 700 });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2500, failed: 2 });
    rows[0] = JSON.stringify({ id: 'i0000', title: 'Renamed', tags: ['a', 't0'] });
    writeFileSync(file, `${rows.join('\n')}\n`);
    expect(await ingestItemsFile(store, file)).toMatchObject({ added: 0, updated: 1, unchanged: 2499 });
    expect((await store.getItem('i0000'))?.title).toBe('Renamed');
    const job = await store.getJob(again.jobId);
    expect(job).toMatchObject({ kind: 'items', status: 'done' });
    expect(await store.jobOutcomes(again.jobId)).toHaveLength(2);
    await store.close();
  });

  it('stores precomputed reports (ready items) and shape vectors; a bare vector needs an encoder', async () => {
    const store = await openSqliteStore(':memory:');
    const file = join(dir, 'shapes.csv');
    writeFileSync(
      file,
      [
        'id,title,shape,printability',
        'a,A,1 0 0,"{""bboxMm"":[1,2,3],""volumeMm3"":6}"',
        'b,B,0 1 0,',
        'c,C,0 1,',
      ].join('\n'),
    );
    const noEncoder = await ingestItemsFile(store, file);
    expect(noEncoder).toMatchObject({ added: 0, failed: 3 });
    expect(noEncoder.errors[0]?.message).toMatch(/line 2: .*--encoder/);
    const s = await ingestItemsFile(store, file, { encoder: 'pointnet' });
    expect(s).toMatchObject({ added: 2, failed: 1, vectors: 2 });
    expect(s.errors[0]?.message).toMatch(/line 4: shape has 2 values, pointnet has 3/);
    expect(await store.getItem('a')).toMatchObject({
      status: 'ready',
      report: { bboxMm: [1, 2, 3], volumeMm3: 6, signedVolumeMm3: 6, warnings: [] },
    });
    expect((await store.getItem('b'))?.status).toBe('stub');
    const emb = await store.allEmbeddings('pointnet');
    expect(emb.itemIds.sort()).toEqual(['a', 'b']);
    await expect(ingestItemsFile(store, join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
    await store.close();
  });
});

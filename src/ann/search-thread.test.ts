/**
 * Search threads answer exactly what the request thread's own view of the same index file answers, spread searches
 * over their threads, and fail with typed errors (a missing file, a wrong query size, a closed pool) instead of
 * hanging a caller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { SearchThreads } from './search-thread.js';
import { UsearchIndex } from './usearch-index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-search-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function indexFile(metric: 'cos' | 'ip', n: number, dim: number, seed: number): UsearchIndex {
  const rng = new Rng(seed);
  const built = new UsearchIndex({ dim, metric });
  const vectors = Float32Array.from({ length: n * dim }, () => rng.next() * 2 - 1);
  built.addMany(
    Int32Array.from({ length: n }, (_, i) => i * 3),
    vectors,
  );
  const path = join(dir, `${metric}-${seed}.usearch`);
  built.save(path);
  const mapped = new UsearchIndex({ dim, metric });
  mapped.view(path);
  return mapped;
}

describe('SearchThreads', () => {
  it('answers what the mapped index answers, for both metrics, with searches spread over the threads', async () => {
    const threads = new SearchThreads(2);
    try {
      for (const metric of ['ip', 'cos'] as const) {
        const index = indexFile(metric, 3000, 17, metric === 'ip' ? 1 : 2);
        const file = index.file()!;
        expect(file).toMatchObject({ dim: 17, metric });
        const rng = new Rng(5);
        const queries = Array.from({ length: 64 }, () => Float32Array.from({ length: 17 }, () => rng.next() - 0.5));
        const pending = queries.map((q) => threads.search(file, q, 25));
        expect(threads.inFlight).toBe(64);
        const got = await Promise.all(pending);
        for (let i = 0; i < queries.length; i++) {
          const here = index.search(queries[i]!, 25);
          expect(Array.from(got[i]!.keys)).toEqual(here.map((h) => h.key));
          expect(Array.from(got[i]!.distances, (d) => 1 - d)).toEqual(here.map((h) => h.score));
        }
        // k beyond the index size is capped, as on the request thread
        const all = await threads.search(file, queries[0]!, 10_000);
        expect(Array.from(all.keys)).toEqual(index.search(queries[0]!, 10_000).map((h) => h.key));
        threads.drop(file.path);
        expect((await threads.search(file, queries[1]!, 3)).keys.length).toBe(3); // mapped again on demand
      }
      expect(threads.inFlight).toBe(0);
    } finally {
      await threads.close();
    }
  }, 60_000);

  it('rejects with typed errors: a missing file, a wrong query size, a closed pool', async () => {
    const threads = new SearchThreads(1);
    const file = {
      path: join(dir, 'absent.usearch'),
      dim: 4,
      metric: 'ip' as const,
      connectivity: 16,
      expansionSearch: 64,
    };
    const missing = await threads.search(file, new Float32Array(4), 3).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LayerwiseError);
    expect((missing as LayerwiseError).code).toBe('internal');
    const size = await threads.search(file, new Float32Array(3), 3).catch((e: unknown) => e);
    expect((size as LayerwiseError).code).toBe('invalid_argument');
    expect(threads.alive).toBe(true); // one failed search does not end the thread
    await threads.close();
    expect(threads.alive).toBe(false);
    const closed = await threads.search(file, new Float32Array(4), 3).catch((e: unknown) => e);
    expect((closed as LayerwiseError).code).toBe('unavailable');
    expect(() => new SearchThreads(0)).toThrow(LayerwiseError);
  });
});

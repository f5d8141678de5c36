/** Line batches: exact lines and numbers whatever the chunk size, multi-byte characters across chunk edges. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLineBatches } from './lines.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLineBatches', () => {
  it.each([3, 7, 64, 1 << 20])('returns every line once, numbered, at chunk size %i', async (chunk) => {
    const lines = ['ünï€ode — 😀', '', 'plain,row', 'a very long line '.repeat(9), 'last without newline'];
    const file = join(dir, `f${chunk}.txt`);
    writeFileSync(file, lines.join('\n'));
    const got: [number, string][] = [];
    let bytes = 0;
    for await (const b of readLineBatches(file, chunk)) {
      for (const [i, l] of b.lines.entries()) got.push([b.firstLine + i, l]);
      expect(b.bytes).toBeGreaterThanOrEqual(bytes);
      bytes = b.bytes;
    }
    expect(got).toEqual(lines.map((l, i) => [i + 1, l]));
    expect(bytes).toBe(Buffer.byteLength(lines.join('\n')));
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), isTty: false };
}

describe('layerwise eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-eval-'));
  const file = join(dir, 'events.csv');
  const rng = new Rng(4);
  const rows = ['user,item,rating,timestamp'];
  for (let u = 0; u < 40; u++)
    for (let i = 0; i < 30; i++)
      if (rng.bernoulli(i % 2 === u % 2 ? 0.5 : 0.05)) rows.push(`u${u},i${i},${1 + rng.int(5)},${rng.int(1e6)}`);
  writeFileSync(file, `${rows.join('\n')}\n`);

  it('evaluates models on an events file and prints JSON with one entry per model, plus an HTML report', async () => {
    const io = capture();
    const report = join(dir, 'r.html');
    const code = await main(
      [
        'eval',
        '--dataset',
        file,
        '--protocol',
        'random',
        '--models',
        'pop,rp3beta',
        '--k',
        '5',
        '--seeds',
        '2',
        '--json',
        '--report',
        report,
      ],
      io,
    );
    expect(io.stderr.join('\n')).toContain('NDCG@5');
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout.join(''));
    expect(Object.keys(json.models)).toEqual(['pop', 'rp3beta']);
    expect(json.models.rp3beta.metrics.ndcg.mean).toBeGreaterThan(json.models.pop.metrics.ndcg.mean);
    expect(json.seeds).toEqual([1, 2]);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  });

  it('rejects an unknown protocol or model with exit code 2', async () => {
    const io = capture();
    expect(await main(['eval', '--dataset', file, '--protocol', 'nope'], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/unknown --protocol 'nope'/);
    expect(await main(['eval', '--dataset', file, '--models', 'pop,xyz'], capture())).toBe(2);
  });
});

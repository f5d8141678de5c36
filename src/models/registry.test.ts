/**
 * The registries drive the contract suites: every registered recommender kind must be run through the shared
 * Recommender contract (test/recommender-contract.ts) and every shape encoder through the ShapeEncoder contract
 * (shape/contract.case.ts) by some test file. Registering a kind without adding it to its suite fails here; adding
 * it makes the suite run (and pass or fail) on it. Also: both families follow one option convention.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { mergeOptions, notFitted, optionsHash } from './options.js';
import { createModel, modelKinds } from './registry.js';
import { createShapeEncoder, SHAPE_ENCODERS } from './shape/registry.js';

const here = dirname(fileURLToPath(import.meta.url));

function testSources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testSources(p));
    else if (e.name.endsWith('.test.ts')) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

describe('registries drive the contract suites', () => {
  const sources = testSources(here).join('\n');

  it('runs the Recommender contract on every registered kind', () => {
    const covered = new Set([...sources.matchAll(/runRecommenderContract\(\{\s*kind:\s*'([^']+)'/g)].map((m) => m[1]));
    const missing = modelKinds().filter((k) => !covered.has(k));
    expect(missing, `registered without a contract run: ${missing.join(', ')}`).toEqual([]);
  });

  it('runs the ShapeEncoder contract on every registered encoder', () => {
    const covered = new Set([...sources.matchAll(/runShapeEncoderContract\('([^']+)'/g)].map((m) => m[1]));
    const missing = SHAPE_ENCODERS.filter((k) => !covered.has(k));
    expect(missing, `registered without a contract run: ${missing.join(', ')}`).toEqual([]);
  });
});

describe('one option convention for both families', () => {
  it('rejects unknown options and wrong types with one message format', () => {
    expect(() => createModel('ease', { lamda: 3 })).toThrowError(/^ease: unknown option 'lamda'; known: lambda/);
    expect(() => createShapeEncoder('pointnet', { epoch: 3 })).toThrowError(
      /^pointnet encoder: unknown option 'epoch'; known: /,
    );
    expect(() => createModel('ials', { factors: '8' })).toThrowError(/^ials: option 'factors' must be a number/);
    expect(() => createShapeEncoder('pointnet', { epochs: '3' })).toThrowError(
      /^pointnet encoder: option 'epochs' must be a number, got "3"/,
    );
  });

  it('merges over defaults and keeps defaults for undefined', () => {
    expect(mergeOptions('x', { a: 1, b: [1, 2], c: 'z' }, { a: 2, c: undefined })).toEqual({ a: 2, b: [1, 2], c: 'z' });
    expect(() => mergeOptions('x', { b: [1, 2] }, { b: 3 })).toThrowError(/option 'b' must be an array/);
  });

  it('has one "not fitted" error code and one configuration hash', () => {
    const e = notFitted('ease');
    expect(e).toBeInstanceOf(LayerwiseError);
    expect(e.code).toBe('conflict');
    expect(() => createModel('ease').recommend('u', 5)).toThrowError(/not fitted/);
    try {
      createModel('ease').recommend('u', 5);
    } catch (err) {
      expect((err as LayerwiseError).code).toBe('conflict');
    }
    expect(optionsHash('ease', { lambda: 1 })).toBe(optionsHash('ease', { lambda: 1 }));
    expect(optionsHash('ease', { lambda: 1 })).not.toBe(optionsHash('ease', { lambda: 2 }));
  });
});

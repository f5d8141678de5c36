import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../test/data.js';
import { loadShapeDataset, readLabels } from './shapes-dataset.js';
import { evaluateShapeEncoders } from './shapes-eval.js';

const FAMILIES = ['washer', 'nut', 'spur_gear', 'fan_guard_printed', 'ball_bearing', 'lego_brick'];

describe.skipIf(!hasData('openscad-parametric', 'labels.csv'))('shape retrieval on real parametric families', () => {
  it('reads the shared labels CSV and retrieves families far above chance', () => {
    const dir = dataPath('openscad-parametric');
    const labels = readLabels(dataPath('openscad-parametric', 'labels.csv'), { labelColumn: 'family' });
    expect(labels.length).toBeGreaterThan(400);
    expect(readFileSync(dataPath('openscad-parametric', 'labels.csv'), 'utf8')).toContain('stl_path');
    const picked = FAMILIES.flatMap((f) => labels.filter((l) => l.label === f).slice(0, 5));
    const data = loadShapeDataset(dir, picked);
    expect(data.errors).toEqual([]);
    expect(data.shapes).toHaveLength(30);
    const [d2, descriptors] = evaluateShapeEncoders(data, { encoders: ['d2', 'descriptors'], seed: 1 });
    // chance level: NN ≈ 4/29, mAP ≈ 0.17
    expect(d2!.overall.nn).toBeGreaterThan(0.6);
    expect(descriptors!.overall.nn).toBeGreaterThan(0.8);
    expect(descriptors!.overall.map).toBeGreaterThan(0.6);
    expect(descriptors!.overall.queries).toBe(30);
  });
});

describe.skipIf(!hasData('voron-stl', 'manifest.csv'))('labels CSV with a path column and joined label columns', () => {
  it('reads the Voron manifest with label printer+assembly', () => {
    const rows = readLabels(dataPath('voron-stl', 'manifest.csv'), { labelColumn: 'printer+assembly' });
    expect(rows.length).toBeGreaterThan(150);
    expect(new Set(rows.map((r) => r.label)).size).toBe(17);
    expect(rows[0]!.label).toMatch(/^Voron-[^/]+\/.+/);
    expect(() => readLabels(dataPath('voron-stl', 'manifest.csv'), { labelColumn: 'nope' })).toThrow(
      /no label column "nope"/,
    );
  });
});

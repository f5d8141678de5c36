import { describe, expect, it } from 'vitest';
import { prepareShape } from '../../geometry/descriptors-features.js';
import { cylinder } from '../../geometry/sample-primitives.js';
import { decodeTensors, encodeTensors } from '../../nn/index.js';
import { contractData, runShapeEncoderContract } from './contract.case.js';
import { D2Encoder } from './d2-encoder.js';
import { DescriptorEncoder } from './descriptor-encoder.js';
import { PREPARE_OPTIONS } from './encoder.js';
import { PointNetEncoder } from './pointnet-encoder.js';
import { createShapeEncoder, loadShapeEncoder } from './registry.js';
import { SdaEncoder } from './sda-encoder.js';

runShapeEncoderContract('d2', { create: () => new D2Encoder(), createDefault: () => new D2Encoder() });
runShapeEncoderContract('descriptors', {
  create: () => new DescriptorEncoder({ dim: 128 }),
  createDefault: () => new DescriptorEncoder(),
});
runShapeEncoderContract('sda', {
  create: () => new SdaEncoder({ layers: [64, 128], pretrainEpochs: 5, finetuneEpochs: 5, batchSize: 6 }),
  createDefault: () => new SdaEncoder(),
});
runShapeEncoderContract('pointnet', {
  create: () =>
    new PointNetEncoder({
      widths: [32, 128],
      projection: 32,
      epochs: 3,
      batchSize: 6,
      trainPoints: 48,
      embedPoints: 256,
    }),
  createDefault: () => new PointNetEncoder(),
});

describe('encoder registry', () => {
  it('rejects unknown encoders and unknown config keys', () => {
    expect(() => createShapeEncoder('nope')).toThrow(/unknown shape encoder "nope"/);
    expect(() => createShapeEncoder('pointnet', { epoch: 3 })).toThrow(/unknown option 'epoch'/);
  });

  it('reports per-epoch losses, and the SDA reconstruction loss goes down', () => {
    const { library } = contractData();
    const sda = new SdaEncoder({ layers: [32, 128], pretrainEpochs: 3, finetuneEpochs: 20, batchSize: 4 });
    const report = sda.fit(library, { seed: 2 });
    expect(report.losses.length).toBe(2 * 3 + 20);
    const fine = report.losses.slice(6);
    expect(fine.at(-1)!).toBeLessThan(fine[0]!);
    const pn = new PointNetEncoder({
      widths: [16, 128],
      projection: 16,
      epochs: 2,
      batchSize: 6,
      trainPoints: 32,
      embedPoints: 64,
    });
    expect(pn.fit(library, { seed: 1 }).losses.length).toBe(2);
  });
});

describe('pointnet proportion-aware embedding', () => {
  const small = { widths: [32, 128], projection: 32, epochs: 3, batchSize: 6, trainPoints: 48, embedPoints: 256 };

  it('matches n-sided prisms across proportions (a flat and a tall pentagon beat a flat heptagon)', () => {
    const sides = [3, 5, 7];
    const shapes = sides.flatMap((n) =>
      [cylinder(1, 0.6, n), cylinder(0.5, 2.5, n)].map((m) => prepareShape(m, PREPARE_OPTIONS)),
    );
    const enc = new PointNetEncoder(small);
    enc.fit([...contractData().library, ...shapes], { seed: 5 });
    const emb = shapes.map((s) => enc.embedShape(s));
    const cos = (a: Float32Array, b: Float32Array): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      return s / Math.hypot(...a) / Math.hypot(...b);
    };
    const nearest = emb.map((e, i) =>
      emb.reduce((best, f, j) => (j !== i && (best < 0 || cos(e, f) > cos(e, emb[best]!)) ? j : best), -1),
    );
    expect(nearest.map((j) => sides[Math.floor(j / 2)])).toEqual(shapes.map((_, i) => sides[Math.floor(i / 2)]));
  });

  it('loads checkpoints written before the proportion-aware settings (no stretch, no appended invariants)', () => {
    const { library } = contractData();
    const legacy = new PointNetEncoder({ ...small, stretchZ: 0, symmetryHarmonics: 0, stretchWeight: 0 });
    legacy.fit(library, { seed: 2 });
    expect(legacy.dim).toBe(128);
    const { tensors, metadata } = decodeTensors(legacy.save());
    const config = JSON.parse(metadata.config!) as Record<string, unknown>;
    for (const k of ['stretchZ', 'symmetryHarmonics', 'symmetryWeight', 'stretchWeight']) delete config[k];
    const old = encodeTensors([...tensors], { encoder: 'pointnet', config: JSON.stringify(config) });
    const loaded = loadShapeEncoder(old);
    expect(loaded.dim).toBe(128);
    expect(loaded.embedShape(library[4]!)).toEqual(legacy.embedShape(library[4]!));
    expect(new PointNetEncoder(small).dim).toBe(128 + 12 + 1);
  });
});

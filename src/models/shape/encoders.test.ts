import { describe, expect, it } from 'vitest';
import { contractData, runShapeEncoderContract } from './contract.case.js';
import { D2Encoder } from './d2-encoder.js';
import { DescriptorEncoder } from './descriptor-encoder.js';
import { PointNetEncoder } from './pointnet-encoder.js';
import { createShapeEncoder } from './registry.js';
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
    expect(() => createShapeEncoder('pointnet', { epoch: 3 })).toThrow(/unknown config key "epoch"/);
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

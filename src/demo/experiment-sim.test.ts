/**
 * The A/B test end to end on the demo library (issue 21's acceptance test): simulated users respond by their
 * ground-truth tastes; an arm serving iALS must beat an arm serving popularity, and A/A tests (the same model in
 * both arms) must not declare winners beyond the stated error rate over repeated runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSimLibrary, runExperimentSim, type SimLibrary } from './experiment-sim.js';

describe('A/B test simulation on the demo library', () => {
  let lib: SimLibrary;
  beforeAll(async () => {
    lib = await prepareSimLibrary({ items: 300, users: 800, seed: 3, kinds: ['pop', 'ials'] });
  }, 120_000);
  afterAll(() => lib?.close());

  it('picks the arm whose model matches the users’ tastes better', async () => {
    const { readout, trueClickRate } = await runExperimentSim(lib, {
      arms: [
        { name: 'popularity', model: `recommender@${lib.versions.pop}` },
        { name: 'ials', model: `recommender@${lib.versions.ials}` },
      ],
      requests: 1500,
      seed: 1,
    });
    // the simulation's ground truth: iALS shows items the users like more
    expect(trueClickRate.ials!).toBeGreaterThan(trueClickRate.popularity! * 1.1);
    expect(readout.verdict).toMatchObject({ state: 'winner', arm: 'ials' });
    const [pop, ials] = readout.arms;
    expect(ials!.metrics.view.perImpression.rate).toBeGreaterThan(pop!.metrics.view.perImpression.rate);
    expect(pop!.users + ials!.users).toBeGreaterThan(500);
    expect(readout.comparisons[0]!.p).toBeLessThanOrEqual(0.05);
  }, 120_000);

  it('A/A: no winner beyond the stated error rate over repeated runs', async () => {
    const model = `recommender@${lib.versions.pop}`;
    const runs = 12;
    let winners = 0;
    const ps: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { readout } = await runExperimentSim(lib, {
        arms: [
          { name: 'a', model },
          { name: 'b', model },
        ],
        requests: 600,
        seed: 100 + r,
      });
      if (readout.verdict.state === 'winner') winners++;
      ps.push(readout.comparisons[0]!.p);
    }
    // α = 0.05: P(≥ 3 false winners in 12 runs) = 0.02 under the nominal rate
    expect(winners).toBeLessThanOrEqual(2);
    expect(ps.every((p) => p >= 0 && p <= 1)).toBe(true);
  }, 240_000);
});

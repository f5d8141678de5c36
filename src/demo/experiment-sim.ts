/**
 * An A/B test on the demo library, end to end through the product: the demo users and items (with their
 * ground-truth tastes) in a real store, recommenders trained by the train use case, the serving services with an
 * experiment running, and simulated users who request recommendations and respond to what they are shown by their
 * ground-truth taste — view (position-biased), then like, download and make with the demo's own funnel
 * probabilities — posting events that carry the response's `recommendationId`. The readout comes from the stored
 * impressions and events, exactly as an operator would see it. A virtual clock spreads the traffic over hours so the
 * sequential readout has many looks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerConfig } from '../app/config.js';
import { createServices } from '../app/serve/index.js';
import type { EventInput, ExperimentReadout } from '../app/serve/types.js';
import { trainFromStore } from '../app/train/train.js';
import { Rng } from '../core/rng.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite.js';
import { TRAITS } from './family.js';
import { type DemoInteractions, demoInteractions } from './interactions.js';
import type { UserTaste } from './tastes.js';

export interface SimLibrary {
  store: Store;
  /** The serving services over the store, on the virtual clock. */
  services: Awaited<ReturnType<typeof createServices>>;
  /** The virtual clock (ms); runs advance it. */
  clock: { now: number };
  demo: DemoInteractions;
  /** Stored model version per trained kind. */
  versions: Record<string, number>;
  dir: string;
  close(): Promise<void>;
}

/** The demo users, items and events in an in-memory store, and one recommender version per kind. */
export async function prepareSimLibrary(o: {
  items: number;
  users: number;
  seed: number;
  kinds: string[];
}): Promise<SimLibrary> {
  const demo = demoInteractions(o);
  const store = await openSqliteStore(':memory:');
  await store.upsertItems(
    demo.items.map((it) => ({
      id: it.id,
      status: 'ready' as const,
      title: `${it.family} ${it.id}`,
      category: it.family,
    })),
  );
  await store.addEvents(
    demo.events.map((e) => ({
      userId: e.user,
      itemId: e.item,
      type: e.type,
      weight: e.weight,
      timestamp: e.timestamp,
    })),
  );
  const summary = await trainFromStore(store, { kinds: o.kinds, activate: false, seed: o.seed });
  const versions: Record<string, number> = {};
  for (const s of summary.saved) versions[s.kind] = s.version;
  const first = summary.saved[0];
  if (first) await store.setActiveModel('recommender', first.version);
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-sim-'));
  const clock = { now: Date.now() - 60 * 86_400_000 };
  const services = await createServices(store, loadServerConfig({}, {}), {
    dataDir: dir,
    pollMs: 0,
    closeStore: false,
    now: () => clock.now,
  });
  return {
    store,
    services,
    clock,
    demo,
    versions,
    dir,
    close: async () => {
      await services.close?.();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SimRun {
  /** Arm name → model reference (`recommender@2`). The first arm is the control. */
  arms: { name: string; model: string }[];
  requests: number;
  seed: number;
  k?: number;
  /** Responses per events batch (default 25). */
  batch?: number;
  /** Virtual time between requests, ms (default 60 s). */
  stepMs?: number;
  minUsers?: number;
}

/** How much a user likes an item by their ground truth: the demo event model's match in (0, 1). */
export function tasteMatch(user: UserTaste, family: number, traitBits: number): number {
  let score = 0;
  for (let t = 0; t < user.traits.length; t++) if (traitBits & (1 << t)) score += user.traits[t]!;
  let top = 0;
  for (const w of user.families) if (w > top) top = w;
  return 0.5 * (user.families[family]! / top) + 0.5 / (1 + Math.exp(-2 * score));
}

/** Runs one experiment on the library and returns its readout (and the true click probability per arm). */
export async function runExperimentSim(
  lib: SimLibrary,
  run: SimRun,
): Promise<{ readout: ExperimentReadout; trueClickRate: Record<string, number> }> {
  const k = run.k ?? 10;
  const batch = run.batch ?? 25;
  const stepMs = run.stepMs ?? 60_000;
  const { services, clock } = lib;
  const rng = new Rng(run.seed);
  const families = new Map(lib.demo.families.map((f, i) => [f, i]));
  const itemInfo = new Map(
    lib.demo.items.map((it) => [
      it.id,
      { family: families.get(it.family)!, bits: it.traits.reduce((b, t) => b | (1 << TRAITS.indexOf(t)), 0) },
    ]),
  );
  const expected: Record<string, { p: number; n: number }> = {};
  {
    const e = await services.experiments.create({
      id: `sim-${run.seed}`,
      name: `simulation ${run.arms.map((a) => a.model).join(' vs ')}`,
      arms: run.arms.map((a) => ({ name: a.name, model: a.model })),
      settings: { minUsers: run.minUsers ?? 100 },
    });
    await services.experiments.start(e.id);
    let pending: EventInput[] = [];
    for (let r = 0; r < run.requests; r++) {
      const user = lib.demo.users[rng.int(lib.demo.users.length)]!;
      const res = await services.recommendations.forUser(user.id, { k, explain: false });
      const arm = res.arm ?? '?';
      const t = clock.now;
      res.items.forEach((it, pos) => {
        const info = itemInfo.get(it.itemId);
        if (!info) return;
        const match = tasteMatch(user, info.family, info.bits);
        const pView = (0.6 * match * match) / (1 + 0.3 * pos);
        const x = (expected[arm] ??= { p: 0, n: 0 });
        x.p += pView;
        x.n++;
        if (!rng.bernoulli(pView)) return;
        const ev = (type: EventInput['type'], dt: number): void =>
          void pending.push({
            userId: user.id,
            itemId: it.itemId,
            type,
            timestamp: t + dt,
            recommendationId: res.recommendationId,
          });
        ev('view', 1000);
        const liked = rng.bernoulli(0.05 + 0.5 * match * match);
        if (liked) ev('like', 2000);
        if (rng.bernoulli(Math.min(0.95, (liked ? 0.75 : 0.1) * match))) {
          ev('download', 3000);
          if (rng.bernoulli(0.1 + 0.55 * match * match)) ev('make', 4000);
        }
      });
      clock.now += stepMs;
      if ((r + 1) % batch === 0 || r === run.requests - 1) {
        if (pending.length > 0) await services.events.ingest(pending);
        pending = [];
      }
    }
    await services.flushImpressions();
    await services.experiments.stop(e.id);
    const readout = await services.experiments.readout(e.id);
    const trueClickRate = Object.fromEntries(Object.entries(expected).map(([a, x]) => [a, x.p / Math.max(1, x.n)]));
    return { readout, trueClickRate };
  }
}

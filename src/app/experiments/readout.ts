/**
 * The readout of an experiment from its aggregated exposure (src/store: `experimentStats`): per arm and online
 * metric, the rate per impression (hits ÷ shown items, delta-method 95 % CI over users) and per user (share of users
 * with at least one hit, Wilson 95 % CI); each other arm against the first (the control) on the primary metric by
 * the mSPRT with an always-valid p-value (running minimum over the time buckets — every look is accounted for) and
 * confidence sequence, α split over the comparisons; cumulative series per bucket for charts; and the verdict.
 */
import {
  addUser,
  emptyRatio,
  msprt,
  type RateEstimate,
  type RatioSample,
  ratioEstimate,
  wilson,
} from '../../eval/sequential.js';
import type { ArmUserStats, Experiment } from '../../store/live-ports.js';
import { type ExperimentSettings, ONLINE_METRICS, type OnlineMetric } from './spec.js';

export interface ArmReadout {
  name: string;
  model: string | null;
  rules: Record<string, unknown> | null;
  share: number;
  users: number;
  impressions: number;
  metrics: Record<OnlineMetric, { perImpression: RateEstimate; perUser: RateEstimate }>;
}

export interface Comparison {
  arm: string;
  control: string;
  metric: OnlineMetric;
  /** Rate of `arm` − rate of `control` (per impression). */
  difference: number;
  /** Always-valid (1 − α/m) confidence sequence of the difference; null while unbounded (no variance yet). */
  lo: number | null;
  hi: number | null;
  /** Always-valid p-value (running minimum over looks). */
  p: number;
  significant: boolean;
}

export interface Verdict {
  state: 'draft' | 'collecting' | 'no_difference_yet' | 'winner';
  /** The arm to ship, when `winner`. */
  arm: string | null;
  text: string;
}

export interface ReadoutSeries {
  /** End of each bucket (ms). */
  at: number[];
  arms: { name: string; users: number[]; rate: number[]; lo: number[]; hi: number[] }[];
  /** Always-valid p-value of each comparison (same order as `comparisons`) after each bucket. */
  p: number[][];
}

export interface Readout {
  experiment: Experiment;
  settings: ExperimentSettings;
  arms: ArmReadout[];
  comparisons: Comparison[];
  verdict: Verdict;
  series: ReadoutSeries;
}

interface ArmAcc {
  users: Map<string, { shown: number; hits: Record<string, number> }>;
  primary: RatioSample;
}

/** Buckets at most `buckets` long for the series (at least a minute each). */
export function bucketWidth(since: number, until: number, buckets = 40): number {
  return Math.max(60_000, Math.ceil((until - since + 1) / buckets));
}

export function computeReadout(
  experiment: Experiment,
  settings: ExperimentSettings,
  rows: ArmUserStats[],
  o: { since: number; bucketMs: number },
): Readout {
  const arms = experiment.arms;
  const m = Math.max(1, arms.length - 1);
  const alpha = settings.alpha / m;
  const metric = settings.primaryMetric;
  const acc = new Map<string, ArmAcc>(arms.map((a) => [a.name, { users: new Map(), primary: emptyRatio() }]));
  const sorted = [...rows].sort((a, b) => a.bucket - b.bucket);
  const lastBucket = sorted.length > 0 ? sorted[sorted.length - 1]!.bucket : -1;
  const series: ReadoutSeries = {
    at: [],
    arms: arms.map((a) => ({ name: a.name, users: [], rate: [], lo: [], hi: [] })),
    p: arms.slice(1).map(() => []),
  };
  const minP = arms.slice(1).map(() => 1);
  let r = 0;
  for (let b = 0; b <= lastBucket; b++) {
    for (; r < sorted.length && sorted[r]!.bucket === b; r++) {
      const row = sorted[r]!;
      const a = acc.get(row.arm);
      if (a === undefined) continue; // an arm renamed or removed since: not part of this readout
      const prev = a.users.get(row.userId);
      const y0 = prev?.hits[metric] ?? 0;
      const n0 = prev?.shown ?? 0;
      const cur = prev ?? { shown: 0, hits: {} };
      cur.shown += row.shown;
      for (const [t, h] of Object.entries(row.hits)) cur.hits[t] = (cur.hits[t] ?? 0) + h;
      if (prev === undefined) {
        a.users.set(row.userId, cur);
        addUser(a.primary, cur.hits[metric] ?? 0, cur.shown);
      } else {
        // replace the user's old totals by the new ones in the sufficient statistics
        const y1 = cur.hits[metric] ?? 0;
        const n1 = cur.shown;
        const s = a.primary;
        s.sumY += y1 - y0;
        s.sumN += n1 - n0;
        s.sumYY += y1 * y1 - y0 * y0;
        s.sumNN += n1 * n1 - n0 * n0;
        s.sumYN += y1 * n1 - y0 * n0;
      }
    }
    series.at.push(o.since + (b + 1) * o.bucketMs);
    const est = arms.map((a) => ratioEstimate(acc.get(a.name)!.primary));
    est.forEach((e, i) => {
      const s = series.arms[i]!;
      s.users.push(e.users);
      s.rate.push(e.rate);
      s.lo.push(e.lo);
      s.hi.push(e.hi);
    });
    for (let i = 1; i < arms.length; i++) {
      const enough = est[0]!.users >= settings.minUsers && est[i]!.users >= settings.minUsers;
      const t = msprt(est[i]!.rate - est[0]!.rate, est[i]!.variance + est[0]!.variance, { alpha, tau: settings.tau });
      if (enough) minP[i - 1] = Math.min(minP[i - 1]!, t.p);
      series.p[i - 1]!.push(minP[i - 1]!);
    }
  }

  const armReadouts: ArmReadout[] = arms.map((a) => {
    const users = acc.get(a.name)!.users;
    let impressions = 0;
    for (const u of users.values()) impressions += u.shown;
    const metrics = {} as ArmReadout['metrics'];
    for (const t of ONLINE_METRICS) {
      const s = emptyRatio();
      let reached = 0;
      for (const u of users.values()) {
        const h = u.hits[t] ?? 0;
        addUser(s, h, u.shown);
        if (h > 0) reached++;
      }
      metrics[t] = { perImpression: ratioEstimate(s), perUser: wilson(reached, users.size) };
    }
    return { name: a.name, model: a.model, rules: a.rules, share: a.share, users: users.size, impressions, metrics };
  });

  const control = armReadouts[0]!;
  const comparisons: Comparison[] = armReadouts.slice(1).map((a, i) => {
    const ea = ratioEstimate(acc.get(a.name)!.primary);
    const ec = ratioEstimate(acc.get(control.name)!.primary);
    const t = msprt(ea.rate - ec.rate, ea.variance + ec.variance, { alpha, tau: settings.tau });
    return {
      arm: a.name,
      control: control.name,
      metric,
      difference: t.difference,
      lo: Number.isFinite(t.lo) ? t.lo : null,
      hi: Number.isFinite(t.hi) ? t.hi : null,
      p: minP[i]!,
      significant: minP[i]! <= alpha,
    };
  });
  return {
    experiment,
    settings,
    arms: armReadouts,
    comparisons,
    verdict: verdict(experiment, settings, armReadouts, comparisons),
    series,
  };
}

function verdict(e: Experiment, s: ExperimentSettings, arms: ArmReadout[], cmp: Comparison[]): Verdict {
  if (e.status === 'draft') return { state: 'draft', arm: null, text: 'not started' };
  const short = arms.filter((a) => a.users < s.minUsers);
  const better = cmp.filter((c) => c.significant && c.difference > 0).sort((a, b) => b.difference - a.difference);
  const worse = cmp.filter((c) => c.significant && c.difference < 0);
  if (better.length > 0) {
    const w = better[0]!;
    return {
      state: 'winner',
      arm: w.arm,
      text: `${w.arm} beats ${w.control} on ${w.metric} rate by ${pct(w.difference)} (always-valid p = ${w.p.toPrecision(2)})`,
    };
  }
  if (cmp.length > 0 && worse.length === cmp.length) {
    return {
      state: 'winner',
      arm: arms[0]!.name,
      text: `${arms[0]!.name} (control) beats every other arm on ${s.primaryMetric} rate`,
    };
  }
  if (short.length > 0) {
    return {
      state: 'collecting',
      arm: null,
      text: `collecting: ${short.map((a) => `${a.name} has ${a.users} of ${s.minUsers} users`).join('; ')}`,
    };
  }
  return { state: 'no_difference_yet', arm: null, text: `no significant difference on ${s.primaryMetric} rate yet` };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} points`;
}

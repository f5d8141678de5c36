/**
 * Evaluation protocols: how interactions are divided into training and test data. All random choices are seeded.
 * Every split keeps the full id maps; the test matrix holds the relevant items per test user; `foldIn` (strong
 * generalisation) holds the histories of held-out users, who have no training rows. `assertNoOverlap` throws when a
 * test pair is also a training (or fold-in) pair.
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Interactions } from '../models/interactions.js';
import { timeOrder } from '../models/sequential.js';
import { type Csr, csrFromTriplets, hasEntry, rowNnz } from '../models/sparse.js';

export type ProtocolName = 'random' | 'stratified' | 'temporal' | 'loo' | 'strong' | 'cold-items';
export const PROTOCOLS: readonly ProtocolName[] = ['random', 'stratified', 'temporal', 'loo', 'strong', 'cold-items'];

export interface Split {
  protocol: ProtocolName;
  seed: number;
  train: Interactions;
  /** users × items, the relevant (held-out) items of each test user. */
  test: Csr;
  /** users × items histories of held-out users (strong generalisation), scored by fold-in. */
  foldIn?: Csr;
  /**
   * loo: each user's second-to-last event (users with ≥ 3 events). It stays in `train` (it is history when the
   * test event is scored); tuning holds it out by splitting `train` with loo again, whose test part is exactly this.
   */
  validation?: Csr;
}

export interface ProtocolOptions {
  /** Share of each user's (random, strong) or of all (temporal) interactions held out. Default 0.2. */
  testFraction?: number;
  /** Stratified: share kept for training per user. Default 0.75 (Microsoft Recommenders). */
  ratio?: number;
  /** Strong generalisation / cold items: share of users / items held out. Default 0.2 users, 0.2 items. */
  heldOutFraction?: number;
}

/** 0 = train, 1 = test, 2 = fold-in, 3 = dropped; per stored entry of data.matrix. */
type Role = Uint8Array;

function build(data: Interactions, role: Role, protocol: ProtocolName, seed: number, withFoldIn: boolean): Split {
  const m = data.matrix;
  const parts: { r: number[]; c: number[]; v: number[]; t: number[] }[] = [0, 1, 2].map(() => ({
    r: [],
    c: [],
    v: [],
    t: [],
  }));
  for (let u = 0; u < m.rows; u++) {
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      const part = parts[role[p]!];
      if (!part) continue;
      part.r.push(u);
      part.c.push(m.indices[p]!);
      part.v.push(m.values[p]!);
      part.t.push(data.times ? data.times[p]! : 0);
    }
  }
  const mk = (k: number): Csr => csrFromTriplets(m.rows, m.cols, parts[k]!.r, parts[k]!.c, parts[k]!.v);
  const trainM = mk(0);
  // training entries keep data.matrix's order (rows, then columns ascending), so their times align with trainM
  const times = data.times ? Float64Array.from(reTimes(data, role)) : undefined;
  const split: Split = { protocol, seed, train: data.withMatrix(trainM, times), test: mk(1) };
  if (withFoldIn) split.foldIn = mk(2);
  assertNoOverlap(split);
  return split;
}

/** Training-entry times in CSR order (rows ascending, columns ascending within a row — the order of data.matrix). */
function reTimes(data: Interactions, role: Role): number[] {
  const out: number[] = [];
  for (let p = 0; p < role.length; p++) if (role[p] === 0) out.push(data.times![p]!);
  return out;
}

/** Throws conflict when any test pair appears in training or fold-in, or a held-out user has training rows. */
export function assertNoOverlap(split: Split): void {
  const t = split.test;
  const train = split.train.matrix;
  for (let u = 0; u < t.rows; u++) {
    if (split.foldIn && rowNnz(split.foldIn, u) > 0 && rowNnz(train, u) > 0) {
      throw new LayerwiseError(
        'conflict',
        `split ${split.protocol}: held-out user ${split.train.users.id(u)} has training rows`,
      );
    }
    for (let p = t.indptr[u]!; p < t.indptr[u + 1]!; p++) {
      const i = t.indices[p]!;
      if (hasEntry(train, u, i) || (split.foldIn && hasEntry(split.foldIn, u, i))) {
        throw new LayerwiseError(
          'conflict',
          `split ${split.protocol}: test pair (${split.train.users.id(u)}, ${split.train.items.id(i)}) is also in training`,
        );
      }
    }
  }
}

function shuffledRange(start: number, end: number, rng: Rng): number[] {
  const xs: number[] = [];
  for (let p = start; p < end; p++) xs.push(p);
  return rng.shuffle(xs);
}

/** Per user: a random testFraction of the interactions (≥ 1 when the user has ≥ 2) to test. */
export function randomSplit(data: Interactions, seed: number, o: ProtocolOptions = {}): Split {
  const frac = o.testFraction ?? 0.2;
  const rng = new Rng(seed);
  const m = data.matrix;
  const role = new Uint8Array(m.indices.length);
  for (let u = 0; u < m.rows; u++) {
    const n = rowNnz(m, u);
    if (n < 2) continue;
    const nTest = Math.min(n - 1, Math.max(1, Math.round(n * frac)));
    const order = shuffledRange(m.indptr[u]!, m.indptr[u + 1]!, rng);
    for (let q = 0; q < nTest; q++) role[order[q]!] = 1;
  }
  return build(data, role, 'random', seed, false);
}

/**
 * Microsoft Recommenders python_stratified_split: per user, interactions shuffled; rank r (1-based) of n goes to
 * training when r/n ≤ ratio, to test otherwise.
 */
export function stratifiedSplit(data: Interactions, seed: number, o: ProtocolOptions = {}): Split {
  const ratio = o.ratio ?? 0.75;
  const rng = new Rng(seed);
  const m = data.matrix;
  const role = new Uint8Array(m.indices.length);
  for (let u = 0; u < m.rows; u++) {
    const n = rowNnz(m, u);
    const order = shuffledRange(m.indptr[u]!, m.indptr[u + 1]!, rng);
    order.forEach((p, r) => {
      if ((r + 1) / n > ratio) role[p] = 1;
    });
  }
  return build(data, role, 'stratified', seed, false);
}

function needTimes(data: Interactions, protocol: string): Float64Array {
  if (!data.times)
    throw new LayerwiseError('invalid_argument', `protocol ${protocol} needs event timestamps; this data has none`);
  return data.times;
}

/** Global temporal split: the latest testFraction of interactions (by time) are test; test users need training rows. */
export function temporalSplit(data: Interactions, _seed: number, o: ProtocolOptions = {}): Split {
  const times = needTimes(data, 'temporal');
  const sorted = Float64Array.from(times).sort();
  const cut = sorted[Math.floor(sorted.length * (1 - (o.testFraction ?? 0.2)))] ?? Number.POSITIVE_INFINITY;
  const m = data.matrix;
  const role = new Uint8Array(m.indices.length);
  for (let u = 0; u < m.rows; u++) {
    let trainN = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      if (times[p]! >= cut) role[p] = 1;
      else trainN++;
    }
    if (trainN === 0) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) role[p] = 3;
  }
  return build(data, role, 'temporal', 0, false);
}

/**
 * The standard leave-one-out protocol of sequential recommendation (Kang & McAuley, ICDM 2018; Sun et al., CIKM 2019):
 * each user's latest event (users with ≥ 2) is the test item, the one before it the validation item (`validation`),
 * the rest — validation item included — is training history; evaluation ranks every item, the user's own training
 * items excluded. Events with equal times are ordered the way sequential models read them (`timeOrder`): by a
 * neutral hash of the user and item ids, never by item index or file order, so which of a tie is "latest" carries
 * no popularity or catalogue-order signal.
 */
export function leaveLastOutSplit(data: Interactions): Split {
  needTimes(data, 'loo');
  const m = data.matrix;
  const role = new Uint8Array(m.indices.length);
  const vr: number[] = [];
  const vc: number[] = [];
  const vv: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    const n = rowNnz(m, u);
    if (n < 2) continue;
    const order = timeOrder(data, u);
    role[order[n - 1]!] = 1;
    if (n < 3) continue;
    const second = order[n - 2]!;
    vr.push(u);
    vc.push(m.indices[second]!);
    vv.push(m.values[second]!);
  }
  const split = build(data, role, 'loo', 0, false);
  split.validation = csrFromTriplets(m.rows, m.cols, vr, vc, vv);
  return split;
}

/**
 * Strong generalisation (Liang et al., "Variational autoencoders for collaborative filtering", WWW 2018): a share of
 * users is held out entirely; each keeps (1 − testFraction) of its interactions as a fold-in history and the rest
 * is test. Fold-in and test items that no training user interacted with are dropped, as in that paper.
 */
export function strongSplit(data: Interactions, seed: number, o: ProtocolOptions = {}): Split {
  const rng = new Rng(seed);
  const m = data.matrix;
  const users = rng.shuffle(Array.from({ length: m.rows }, (_, u) => u)).filter((u) => rowNnz(m, u) >= 2);
  const heldOut = new Uint8Array(m.rows);
  for (const u of users.slice(0, Math.round(m.rows * (o.heldOutFraction ?? 0.2)))) heldOut[u] = 1;
  const trainItem = new Uint8Array(m.cols);
  for (let u = 0; u < m.rows; u++)
    if (!heldOut[u]) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) trainItem[m.indices[p]!] = 1;
  const role = new Uint8Array(m.indices.length);
  const frac = o.testFraction ?? 0.2;
  for (let u = 0; u < m.rows; u++) {
    if (!heldOut[u]) continue;
    const order = shuffledRange(m.indptr[u]!, m.indptr[u + 1]!, rng).filter((p) => trainItem[m.indices[p]!]);
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) role[p] = 3;
    const nTest = Math.max(1, Math.round(order.length * frac));
    order.forEach((p, r) => {
      role[p] = order.length < 2 ? 3 : r < nTest ? 1 : 2;
    });
  }
  return build(data, role, 'strong', seed, true);
}

/** Cold-start items: a share of items is held out with all their interactions; test users need training rows. */
export function coldItemsSplit(data: Interactions, seed: number, o: ProtocolOptions = {}): Split {
  const rng = new Rng(seed);
  const m = data.matrix;
  const items = rng.shuffle(Array.from({ length: m.cols }, (_, i) => i));
  const cold = new Uint8Array(m.cols);
  for (const i of items.slice(0, Math.round(m.cols * (o.heldOutFraction ?? 0.2)))) cold[i] = 1;
  const role = new Uint8Array(m.indices.length);
  for (let u = 0; u < m.rows; u++) {
    let trainN = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      if (cold[m.indices[p]!]) role[p] = 1;
      else trainN++;
    }
    if (trainN === 0) for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) role[p] = 3;
  }
  return build(data, role, 'cold-items', seed, false);
}

export function makeSplit(protocol: ProtocolName, data: Interactions, seed: number, o: ProtocolOptions = {}): Split {
  switch (protocol) {
    case 'random':
      return randomSplit(data, seed, o);
    case 'stratified':
      return stratifiedSplit(data, seed, o);
    case 'temporal':
      return temporalSplit(data, seed, o);
    case 'loo':
      return leaveLastOutSplit(data);
    case 'strong':
      return strongSplit(data, seed, o);
    case 'cold-items':
      return coldItemsSplit(data, seed, o);
    default:
      throw new LayerwiseError(
        'invalid_argument',
        `unknown protocol '${protocol as string}'; known: ${PROTOCOLS.join(', ')}`,
      );
  }
}

/** Whether a protocol's split changes with the seed (temporal and leave-last-out do not). */
export function isRandomProtocol(p: ProtocolName): boolean {
  return p !== 'temporal' && p !== 'loo';
}

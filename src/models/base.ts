/**
 * The shared half of every Recommender: parameter validation (unknown keys are errors), id mapping, exclusion of
 * seen items, top-k, explanations, the fit wrapper (timing, abort, NaN check) and artifact save/load. A model
 * supplies scoring of a history, similar-item scores, contributions, and its state.
 */
import { LayerwiseError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { topK } from '../core/math.js';
import { type ArtifactContent, configHash, decodeArtifact, encodeArtifact, type TensorMap } from './artifact.js';
import { HistoryMemo } from './history-memo.js';
import { Interactions } from './interactions.js';
import { mergeOptions, notFitted } from './options.js';
import type {
  ArtifactMeta,
  Evidence,
  FitOptions,
  FitReport,
  HistoryEntry,
  IndexEvidence,
  ItemFeatures,
  Recommender,
  RecommendOptions,
  Scored,
} from './recommender.js';

export type Params = Record<string, number | string | boolean>;

/** What fitImpl receives. */
export interface FitContext {
  seed: number;
  warnings: string[];
  /** Throws fit_failed when aborted; call between epochs / blocks. */
  checkAbort(): void;
  /** Lets the event loop run (and checks abort). */
  pause(): Promise<void>;
  onEpoch(epoch: number, info: { loss?: number; seconds: number }): void;
  /** FitOptions.itemFeatures (hybrid models). */
  itemFeatures?: ItemFeatures;
}

export type { IndexEvidence } from './recommender.js';

/** Merges params over defaults; unknown keys and wrong types are errors (models/options.ts). */
export function mergeParams<P extends Params>(kind: string, defaults: P, given: Readonly<Record<string, unknown>>): P {
  return mergeOptions(kind, defaults, given);
}

export abstract class BaseRecommender<P extends Params> implements Recommender {
  params: P;
  meta: ArtifactMeta | undefined;
  private trained: Interactions | undefined;
  /** The history-dependent part of the last explanation (see memoForHistory); cleared by fit and load. */
  private readonly historyMemo = new HistoryMemo();
  private similarBuffer: Float32Array | undefined;

  constructor(
    readonly kind: string,
    protected readonly defaults: P,
    params: Readonly<Record<string, unknown>> = {},
  ) {
    this.params = mergeParams(kind, defaults, params);
    this.validate();
  }

  /**
   * `compute()` once per history: explanations of several items for the same history (a page of recommendations)
   * share the work that depends only on the history. `extra` completes the key (e.g. the user index). Valid until
   * the next fit or load.
   */
  protected memoForHistory<T>(items: Int32Array, weights: Float32Array, extra: number, compute: () => T): T {
    return this.historyMemo.get(items, weights, extra, compute);
  }
  /** Forgets the memo (parameters that the memoised work depends on changed). */
  protected forgetHistoryMemo(): void {
    this.historyMemo.clear();
  }

  /** Checks ranges of params; throw invalid_argument. */
  protected validate(): void {}
  protected abstract fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number; losses?: number[] }>;
  abstract scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void;
  /** Similarity of every item to `item` into out; self is excluded by the caller. */
  protected abstract similarScores(item: number, out: Float32Array): void;
  protected abstract explainIndex(
    items: Int32Array,
    weights: Float32Array,
    target: number,
    user?: number,
  ): IndexEvidence;
  protected abstract exportState(): { extra: Record<string, unknown>; tensors: TensorMap };
  protected abstract importState(extra: Record<string, unknown>, tensors: TensorMap, data: Interactions): void;

  /**
   * Swaps in data with the same users and more items (new items appended, e.g. uploads scored by content without a
   * retrain); the model's state must already cover them.
   */
  protected replaceData(data: Interactions): void {
    const old = this.data;
    if (data.nUsers !== old.nUsers || data.nItems < old.nItems)
      throw new LayerwiseError('invalid_argument', `${this.kind}: replaceData needs the same users and no fewer items`);
    this.trained = data;
    this.historyMemo.clear();
    this.similarBuffer = undefined;
  }

  get fitted(): boolean {
    return this.trained !== undefined;
  }

  get data(): Interactions {
    if (!this.trained) throw notFitted(this.kind);
    return this.trained;
  }

  async fit(data: Interactions, options: FitOptions = {}, signal?: AbortSignal): Promise<FitReport> {
    this.historyMemo.clear();
    if (data.nnz === 0)
      throw new LayerwiseError('invalid_argument', `${this.kind}: cannot fit on data with no interactions`);
    const sig = signal ?? options.signal;
    const t0 = performance.now();
    const warnings: string[] = [];
    const checkAbort = (): void => {
      if (sig?.aborted) throw new LayerwiseError('fit_failed', `${this.kind}: fit aborted`, { cause: sig.reason });
    };
    const ctx: FitContext = {
      seed: options.seed ?? 42,
      warnings,
      checkAbort,
      pause: async () => {
        await new Promise<void>((r) => setImmediate(r));
        checkAbort();
      },
      onEpoch: (e, info) => options.onEpoch?.(e, info),
      ...(options.itemFeatures ? { itemFeatures: options.itemFeatures } : {}),
    };
    checkAbort();
    this.trained = data;
    this.meta = undefined;
    try {
      const r = await this.fitImpl(data, ctx);
      const report: FitReport = { kind: this.kind, seconds: (performance.now() - t0) / 1000, warnings };
      if (r.epochs !== undefined) report.epochs = r.epochs;
      if (r.losses !== undefined) report.losses = r.losses;
      return report;
    } catch (e) {
      this.trained = undefined;
      throw e;
    }
  }

  /** True for kinds whose fold-in, explanations and similar items never read the training matrix. */
  protected readonly servesWithoutMatrix: boolean = false;

  /**
   * Serving at scale reads histories from the store: drops the training interaction matrix (and, in subclasses,
   * user-side state such as user factors), keeping users and items, so a loaded model costs memory for its item side
   * only. Afterwards training users have no history of their own here (`recommend(user)` folds in nothing). A no-op
   * for kinds that score from the matrix (user-based, sequential, autoencoders). Returns true when it dropped it.
   */
  releaseTrainingData(): boolean {
    if (!this.servesWithoutMatrix || this.trained === undefined) return false;
    const d = this.trained;
    const empty = {
      rows: d.nUsers,
      cols: d.nItems,
      indptr: new Int32Array(d.nUsers + 1),
      indices: new Int32Array(0),
      values: new Float32Array(0),
    };
    this.trained = new Interactions(d.users, d.items, empty);
    this.historyMemo.clear();
    this.releaseUserState();
    return true;
  }

  /** Subclasses drop user-side state here (called by releaseTrainingData). */
  protected releaseUserState(): void {}

  scoreUser(u: number, out: Float32Array): void {
    this.scoreHistory(this.data.rowItems(u), this.data.rowWeights(u), out);
  }

  protected userIndex(user: string): number {
    const u = this.data.users.index(user);
    if (u === undefined) {
      throw new LayerwiseError(
        'not_found',
        `${this.kind}: unknown user '${user}'; use recommendForHistory for new users`,
      );
    }
    return u;
  }

  protected itemIndex(item: string): number {
    const i = this.data.items.index(item);
    if (i === undefined) throw new LayerwiseError('not_found', `${this.kind}: unknown item '${item}'`);
    return i;
  }

  /** History entries → sorted unique item indices and summed weights (unknown items ignored). */
  historyArrays(history: readonly HistoryEntry[]): { items: Int32Array; weights: Float32Array } {
    const acc = new Map<number, number>();
    for (const h of history) {
      const i = this.data.items.index(h.item);
      if (i !== undefined) acc.set(i, (acc.get(i) ?? 0) + (h.weight ?? 1));
    }
    const idx = [...acc.keys()].sort((a, b) => a - b);
    return { items: Int32Array.from(idx), weights: Float32Array.from(idx.map((i) => acc.get(i)!)) };
  }

  /** Top-k ids of `scores`, skipping `seen` (unless options.excludeSeen is false), excluded and filtered items. */
  protected top(scores: Float32Array, k: number, seen: Int32Array, options: RecommendOptions): Scored[] {
    const items = this.data.items;
    const skip = new Uint8Array(items.size);
    if (options.excludeSeen ?? true) for (const i of seen) skip[i] = 1;
    for (const id of options.exclude ?? []) {
      const i = items.index(id);
      if (i !== undefined) skip[i] = 1;
    }
    const filter = options.filter;
    const idx = topK(scores, k, (i) => skip[i] === 1 || (filter !== undefined && !filter(items.id(i))));
    return idx.map((i) => ({ item: items.id(i), score: scores[i]! }));
  }

  recommend(user: string, k: number, options: RecommendOptions = {}): Scored[] {
    const u = this.userIndex(user);
    const out = new Float32Array(this.data.nItems);
    this.scoreUser(u, out);
    return this.top(out, k, this.data.rowItems(u), options);
  }

  recommendForHistory(history: readonly HistoryEntry[], k: number, options: RecommendOptions = {}): Scored[] {
    const { items, weights } = this.historyArrays(history);
    const out = new Float32Array(this.data.nItems);
    this.scoreHistory(items, weights, out);
    return this.top(out, k, items, options);
  }

  similarItems(item: string, k: number): Scored[] {
    const i = this.itemIndex(item);
    // one reusable score buffer (calls are synchronous): serving similar items allocates no 4·nItems bytes per call
    if (this.similarBuffer?.length !== this.data.nItems) this.similarBuffer = new Float32Array(this.data.nItems);
    const out = this.similarBuffer.fill(0); // implementations may rely on a zeroed buffer, as a fresh one was
    this.similarScores(i, out);
    return topK(out, k, (j) => j === i).map((j) => ({ item: this.data.items.id(j), score: out[j]! }));
  }

  /** Index evidence → id evidence with the `max` strongest parts. */
  protected evidence(ev: IndexEvidence, item: string, max: number): Evidence {
    const parts = strongest(ev.parts, max);
    const ids = ev.basis === 'users' ? this.data.users : this.data.items;
    const contributions = parts.map((p) =>
      ev.basis === 'users' ? { user: ids.id(p.index), weight: p.weight } : { item: ids.id(p.index), weight: p.weight },
    );
    return { item, score: ev.score, basis: ev.basis, contributions };
  }

  explain(user: string, item: string, maxContributions = 5): Evidence {
    const u = this.userIndex(user);
    const ev = this.explainIndex(this.data.rowItems(u), this.data.rowWeights(u), this.itemIndex(item), u);
    return this.evidence(ev, item, maxContributions);
  }

  explainForHistory(history: readonly HistoryEntry[], item: string, maxContributions = 5): Evidence {
    const { items, weights } = this.historyArrays(history);
    return this.evidence(this.explainIndex(items, weights, this.itemIndex(item)), item, maxContributions);
  }

  explainHistoryIndices(items: Int32Array, weights: Float32Array, item: number, maxContributions = 5): IndexEvidence {
    if (!(item >= 0 && item < this.data.nItems)) {
      throw new LayerwiseError('not_found', `${this.kind}: no item at index ${item}`);
    }
    const ev = this.explainIndex(items, weights, item);
    return { basis: ev.basis, score: ev.score, parts: strongest(ev.parts, maxContributions) };
  }

  save(metrics: Record<string, number> = this.meta?.metrics ?? {}): Uint8Array {
    const data = this.data;
    const state = this.exportState();
    const meta: ArtifactMeta = {
      format: 'layerwise-model',
      version: 1,
      kind: this.kind,
      params: { ...this.params },
      configHash: configHash(this.kind, this.params),
      dataFingerprint: data.fingerprint(),
      metrics,
      createdAt: new Date().toISOString(),
      nUsers: data.nUsers,
      nItems: data.nItems,
    };
    this.meta = meta;
    const m = data.matrix;
    const tensors: TensorMap = { ...state.tensors, '@indptr': m.indptr, '@indices': m.indices, '@values': m.values };
    if (data.times) tensors['@times'] = data.times;
    return encodeArtifact({
      meta,
      users: data.users.toArray(),
      items: data.items.toArray(),
      extra: state.extra,
      tensors,
    });
  }

  /** The artifact tensors a serving load leaves out (empty: serving reads the whole artifact). */
  servingTensors(): string[] {
    return this.servingSkips();
  }

  /** Tensors a serving load leaves out: the training matrix of a model that serves without it, and user state. */
  protected servingSkips(): string[] {
    return this.servesWithoutMatrix ? ['@indices', '@values', '@times', ...this.userStateTensors()] : [];
  }

  /** Tensors releaseUserState drops (MatrixFactorization: the user factors). */
  protected userStateTensors(): string[] {
    return [];
  }

  load(bytes: Uint8Array, options: { serving?: boolean } = {}): void {
    this.historyMemo.clear();
    const kind = decodeArtifact(bytes, { headerOnly: true }).meta.kind;
    const skip = new Set(options.serving && kind === this.kind ? this.servingSkips() : []);
    const a: ArtifactContent = decodeArtifact(bytes, { skip });
    if (a.meta.kind !== this.kind) {
      throw new LayerwiseError(
        'invalid_argument',
        `artifact is a '${a.meta.kind}' model, not '${this.kind}'; use loadRecommender`,
      );
    }
    this.params = mergeParams(this.kind, this.defaults, a.meta.params);
    const t = a.tensors;
    const users = IdMap.from(a.users);
    const items = IdMap.from(a.items);
    const matrix = {
      rows: users.size,
      cols: items.size,
      // the matrix left out: every row empty, as releaseTrainingData leaves it
      indptr: skip.has('@indices') ? new Int32Array(users.size + 1) : (t['@indptr'] as Int32Array),
      indices: t['@indices'] as Int32Array,
      values: t['@values'] as Float32Array,
    };
    const times = skip.has('@times') ? undefined : (t['@times'] as Float64Array | undefined);
    const data = new Interactions(users, items, matrix, times);
    this.importState(a.extra, t, data);
    this.trained = data;
    this.meta = a.meta;
  }
}

/** Throws fit_failed when a factor array holds NaN or infinity (diverged training). */
export function assertFinite(kind: string, what: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) {
      throw new LayerwiseError(
        'fit_failed',
        `${kind}: ${what} became non-finite at ${i}; lower the learning rate or raise regularisation`,
      );
    }
  }
}

/** The `max` parts of largest |weight| (zeros dropped), ties by index. */
function strongest(parts: IndexEvidence['parts'], max: number): IndexEvidence['parts'] {
  return parts
    .filter((p) => p.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.index - b.index)
    .slice(0, max);
}

/**
 * Personal recommendations: the user's history (read from the store on a cache miss, user-history.ts) folded into
 * the served model, candidates retrieved and scored (served-model.ts: an index over item factors or neighbour lists
 * at scale), cached per user until their history or the model changes, then filters, printer rules and diversity
 * applied per request. Users without usable history get trending items (cold start) within the same rules — never
 * an error. With the user's history cached the path is synchronous and touches only in-memory state.
 */
import { randomUUID } from 'node:crypto';
import { LayerwiseError } from '../../core/errors.js';
import { getPrinter } from '../../geometry/printers.js';
import type { ServerConfig } from '../config.js';
import type { ExperimentService, ImpressionLog } from '../experiments/index.js';
import { type CatalogItem, thumbnailUrl } from './catalog.js';
import { ContentReasons, catalogueTraits, userShapeTaste } from './content-reasons.js';
import { dislikePenalties } from './negative.js';
import { type Ranked, rankCandidates } from './rank.js';
import { ReasonSlots } from './reason-slots.js';
import { popularityReason, shapeReason } from './reasons.js';
import { DiversityCap, itemFilter, type PrinterRule, printabilityPenalty, printerRule } from './rules.js';
import type { Candidates, ServedModel } from './served-model.js';
import type { ServingState } from './state.js';
import type { ServingTelemetry } from './telemetry.js';
import { TrendingView } from './trending.js';
import type { Reason, RecommendationResponse, RecommendQuery, ScoredItem } from './types.js';
import type { UserState } from './user-history.js';

/** Users whose candidates are cached. */
const CACHE_USERS = 20_000;

/**
 * One user's cached state: typed arrays only (a handful of objects per user), so filling the cache under traffic
 * promotes little to the old generation — reasons are kept as numbers (ReasonSlots) and turned into text per request.
 */
interface CacheEntry {
  /** The history state it was computed from (a new state object replaces it when the user's events change). */
  user: UserState;
  model: ServedModel;
  /** The history in model index space (sorted unique items, weights). */
  hist: { items: Int32Array; weights: Float32Array };
  candidates: Candidates;
  /** Used since the last eviction scan passed it (second-chance / CLOCK replacement). */
  hot: boolean;
  /** Reason evidence per candidate position, filled on first use. */
  slots: ReasonSlots;
  /** Score multipliers for items like the user's disliked ones (null when none). */
  penalty: Map<number, number> | null;
  /** The user's shape taste (trait mask, 0 = none). */
  taste: number;
  /** The user's factor under a factor model (scores items appended later without a fold-in), else null. */
  factor: Float64Array | null;
  /** Filled by a prefetch and not used by a request yet. */
  prefetched: boolean;
}

/** What live traffic adds to recommendations: experiment arms, impression logging, a clock. */
export interface LiveOptions {
  experiments?: ExperimentService;
  impressions?: ImpressionLog;
  now?: () => number;
  /** Cache hits and per-arm counts for /metrics. */
  telemetry?: ServingTelemetry;
}

export class RecommendationService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly printers = new Map<string, PrinterRule>();
  readonly trending: TrendingView;

  constructor(
    private readonly state: ServingState,
    private readonly config: ServerConfig,
    private readonly live: LiveOptions = {},
  ) {
    this.trending = new TrendingView(state);
  }

  /**
   * Computes, before the first request, what the first requests would otherwise compute on the request thread: the
   * fold-in's item Gram matrix, the catalogue's shape traits and the trending thresholds — each a scan of the
   * catalogue or the item factors (at 1 M items 0.1–0.3 s each, seen as stalls right after start-up).
   */
  warm(): void {
    const model = this.state.model?.model as { warm?: () => void } | undefined;
    model?.warm?.();
    catalogueTraits(this.state);
    this.trending.thresholds();
  }

  /** Users with cached candidates now. */
  get cachedUsers(): number {
    return this.cache.size;
  }

  /** Drops what is cached for a user (erasure). */
  forget(userId: string): void {
    this.cache.delete(userId);
    this.state.histories.invalidate(userId);
  }

  printer(id: string): PrinterRule {
    let rule = this.printers.get(id);
    if (rule === undefined) {
      try {
        rule = printerRule(getPrinter(id));
      } catch (e) {
        throw new LayerwiseError('invalid_argument', (e as Error).message, { cause: e });
      }
      this.printers.set(id, rule);
    }
    return rule;
  }

  /**
   * Synchronous when the user's history and candidates are cached; otherwise after one read of the history from the
   * store and, with search threads, one index search on a thread (`prefetch`).
   */
  forUser(userId: string, q: RecommendQuery): RecommendationResponse | Promise<RecommendationResponse> {
    const history = this.state.histories.get(userId);
    if (history instanceof Promise) return history.then((h) => this.afterPrefetch(userId, h, q));
    return this.afterPrefetch(userId, history, q);
  }

  private afterPrefetch(
    userId: string,
    history: UserState,
    q: RecommendQuery,
  ): RecommendationResponse | Promise<RecommendationResponse> {
    const pending = this.prefetch(userId, history);
    if (pending === null) return this.respond(userId, history, q);
    // a failed search (a thread gone) is not the request's failure: `respond` then retrieves on this thread
    const go = () => this.respond(userId, history, q);
    return pending.then(go, go);
  }

  /** The model serving `userId` (an experiment arm's, or the active one) and the arm assignment. */
  private servedFor(userId: string) {
    const assignment = this.live.experiments?.assign(userId) ?? null;
    const arm = assignment?.arm ?? null;
    const served = (arm?.model ? this.state.loadedVersion(arm.model) : null) ?? this.state.model;
    return { assignment, arm, served };
  }

  /** Cache misses in flight on a search thread, per user (concurrent requests of one user share one). */
  private readonly prefetching = new Map<string, { user: UserState; model: ServedModel; done: Promise<void> }>();

  /**
   * A cache miss whose candidates a search thread can find: searches there and fills the cache entry, so `respond`
   * finds it and stays synchronous. Null when there is nothing to do off the thread (a hit, no history, a model
   * without threaded retrieval).
   */
  private prefetch(userId: string, user: UserState): Promise<void> | null {
    if (user.events === 0) return null;
    const { served } = this.servedFor(userId);
    if (served === null) return null;
    const hit = this.cache.get(userId);
    if (hit !== undefined && hit.user === user && (hit.model === served || hit.model.lineage === served.lineage)) {
      return null;
    }
    const inflight = this.prefetching.get(userId);
    if (inflight !== undefined && inflight.user === user && inflight.model === served) return inflight.done;
    let hist: { items: Int32Array; weights: Float32Array };
    let search: Promise<Candidates> | null;
    try {
      hist = served.historyArrays(user.foldIn);
      search = served.candidatesAsync(hist, this.config.serving.candidates);
    } catch {
      return null; // `respond` meets the same failure and degrades
    }
    if (search === null) return null;
    const done = search.then((candidates) => {
      if (this.prefetching.get(userId)?.done === done) this.prefetching.delete(userId);
      // the user's history or the served model may have moved on while the thread searched: then `respond` computes
      if (this.state.histories.cached(userId) === user && this.servedFor(userId).served === served) {
        this.entry(userId, user, served, this.live.telemetry, { hist, candidates });
      }
    });
    done.catch(() => {
      if (this.prefetching.get(userId)?.done === done) this.prefetching.delete(userId);
    });
    this.prefetching.set(userId, { user, model: served, done });
    return done;
  }

  private respond(userId: string, history: UserState, q: RecommendQuery): RecommendationResponse {
    const state = this.state;
    const { assignment, arm, served } = this.servedFor(userId);
    const rec = arm?.rules
      ? { ...this.config.recommend, ...(arm.rules as Partial<ServerConfig['recommend']>) }
      : this.config.recommend;
    const printerId = q.printer ?? history.printer ?? undefined;
    const printer = printerId === undefined ? undefined : this.printer(printerId);
    const user = history.events > 0 ? history : undefined;
    // the user's history is skipped through its own map (a copy into a set cost up to 1,000 entries per request)
    const excluded = new Set<number>();
    for (const id of q.exclude ?? []) {
      const i = state.catalog.index(id);
      if (i !== undefined) excluded.add(i);
    }
    const seen = user?.items;
    const skip =
      seen === undefined
        ? excluded
        : excluded.size === 0
          ? seen
          : { has: (i: number) => excluded.has(i) || seen.has(i) };
    const filter = itemFilter({ ...pick(q), skip, ...(printer ? { printer } : {}) });
    const maxPerCreator = q.maxPerCreator ?? rec.maxPerCreator;
    const maxPerFamily = q.maxPerFamily ?? rec.maxPerFamily;
    const makeCap = () => new DiversityCap(maxPerCreator, maxPerFamily);
    // a model that cannot score this one user (a fit that fails on the history, non-finite scores) degrades to
    // the trending fallback below instead of failing the request with a 500
    const failed = (e: unknown) => {
      this.modelFailures++;
      this.lastModelFailure = { userId, message: (e as Error).message };
      this.cache.delete(userId);
    };
    let entry: CacheEntry | undefined;
    try {
      entry = user && served ? this.entry(userId, user, served, this.live.telemetry) : undefined;
    } catch (e) {
      failed(e);
    }
    const extraPenalty = entry?.penalty ?? undefined;
    const itemPenalty = tastePenalty(state, entry?.taste ?? 0, rec.shapeTasteBoost);
    const base = {
      catalog: state.catalog,
      k: q.k,
      filter,
      printer,
      recommend: rec,
      makeCap,
      extraPenalty,
      itemPenalty,
    };

    let ranked: Ranked[] = [];
    if (entry && served && entry.candidates.count > 0) {
      try {
        let out = rankCandidates({ ...base, ...arrays(entry.candidates) });
        if (out.ranked.length < q.k && out.exhausted && !entry.candidates.complete) {
          entry.candidates = served.candidates(entry.hist, served.nItems, true);
          entry.slots = new ReasonSlots(); // positions changed
          out = rankCandidates({ ...base, ...arrays(entry.candidates) });
        }
        ranked = out.ranked;
      } catch (e) {
        failed(e);
        entry = undefined;
        ranked = [];
      }
    }
    const usedModel = ranked.length > 0 && entry !== undefined;
    const fromTrending = new Set<number>();
    if (ranked.length < q.k) {
      // cold start (or a model with too few eligible items): fill from trending within the same rules
      const have = new Set(ranked.map((r) => r.index));
      const fillFrom = (t: ReturnType<TrendingView['view']>) =>
        rankCandidates({
          ...base,
          k: q.k,
          candidates: t.items,
          scores: t.scores,
          count: t.items.length,
          filter: (it) => !have.has(it.index) && filter(it),
        });
      const head = this.trending.view();
      let fill = fillFrom(head);
      // filters that reject most of the head: rank over the whole catalogue's order
      if (ranked.length + fill.ranked.length < q.k && !head.complete) fill = fillFrom(this.trending.view(true));
      for (const r of fill.ranked) {
        if (ranked.length >= q.k) break;
        ranked.push(r);
        fromTrending.add(r.index);
      }
    }

    const items: ScoredItem[] = new Array(ranked.length);
    const thresholds = q.explain ? this.trending.thresholds() : null;
    const content = thresholds !== null && user ? new ContentReasons(state, user) : null;
    for (let i = 0; i < ranked.length; i++) {
      const r = ranked[i]!;
      const it = state.catalog.items[r.index]!;
      let reasons: Reason[] = [];
      if (thresholds !== null) {
        const cold = fromTrending.has(r.index);
        if (!cold && entry && user) reasons = entry.slots.reasons(r.pos, r.index, entry.model, entry.hist, state, user);
        else if (user) {
          const s = shapeReason(state, user, it);
          if (s) reasons.push(s);
        }
        if (content) reasons.push(...content.of(it));
        const p = popularityReason(it, state, thresholds, cold);
        if (p) reasons.push(p);
        if (printer && r.penalty < 1) printabilityPenalty(it, printer, rec, reasons);
      }
      items[i] = scored(it, r.score, reasons);
    }
    const model = usedModel ? entry!.model.ref : null;
    const recommendationId = randomUUID();
    if (assignment !== null) this.live.telemetry?.served(assignment.experiment, assignment.arm.name, items.length);
    const log = this.live.impressions;
    if (log !== undefined && items.length > 0 && log.sampled()) {
      const timestamp = this.live.now?.() ?? Date.now();
      const experiment = assignment?.experiment ?? null;
      const armName = arm?.name ?? null;
      const modelId = model?.id ?? null;
      log.log(
        items.map((it, position) => ({
          recommendationId,
          userId,
          itemId: it.itemId,
          position,
          model: modelId,
          experiment,
          arm: armName,
          timestamp,
        })),
      );
    }
    return {
      userId,
      recommendationId,
      model,
      // cold start means "no history for this user", not "the model found nothing that passes the filters"
      coldStart: user === undefined || user.events === 0,
      printer: printer?.id ?? null,
      experiment: assignment?.experiment ?? null,
      arm: arm?.name ?? null,
      items,
    };
  }

  /** Times a user's model scores could not be computed and trending answered instead. */
  modelFailures = 0;

  /** The most recent model failure, for /readyz and logs. */
  lastModelFailure: { userId: string; message: string } | undefined;

  /**
   * The user's cache entry, rebuilt when their history or the served model changed. Replacement is second-chance
   * (CLOCK) rather than strict LRU: a hit only sets a flag — moving the entry to the back of the Map on every hit
   * would churn the Map's table and keep each request's id string alive (re-insertion uses the stored key).
   * `count` counts the hit or miss.
   */
  private entry(
    userId: string,
    user: UserState,
    served: ServedModel,
    count?: ServingTelemetry,
    precomputed?: { hist: { items: Int32Array; weights: Float32Array }; candidates: Candidates },
  ): CacheEntry {
    const hit = this.cache.get(userId);
    if (hit !== undefined && hit.user === user && hit.model === served) {
      hit.hot = true;
      // the first use of an entry a prefetch filled was that request's miss, counted there
      if (count && !hit.prefetched) count.cacheHits++;
      hit.prefetched = false;
      return hit;
    }
    if (hit !== undefined && hit.user === user && hit.model.lineage === served.lineage) {
      // the served model only gained items (uploads): score those, keep the rest
      const n = this.config.serving.candidates;
      const ext = served.extendCandidates(hit.model, hit.hist, hit.factor, hit.candidates, n);
      if (ext !== null) {
        if (ext.changed) {
          hit.candidates = ext;
          hit.slots = new ReasonSlots(); // positions changed
        }
        hit.model = served;
        hit.hot = true;
        if (count) count.cacheHits++;
        return hit;
      }
    }
    if (count) count.cacheMisses++;
    // the most recent events only (serving.foldInEvents)
    const hist = precomputed?.hist ?? served.historyArrays(user.foldIn);
    const nf = this.config.negativeFeedback;
    const penalty =
      user.disliked && user.disliked.length > 0 && nf.maxDislikes > 0
        ? dislikePenalties(this.state, served, user.disliked.slice(-nf.maxDislikes), { strength: nf.dislikeStrength })
        : null;
    const taste = userShapeTaste(this.state, user);
    const candidates =
      precomputed?.candidates ??
      (hist.items.length > 0
        ? served.candidates(hist, this.config.serving.candidates)
        : { items: new Int32Array(0), scores: new Float32Array(0), count: 0, complete: true });
    const prefetched = precomputed !== undefined;
    const factor = served.userFactor(hist);
    if (hit !== undefined) {
      hit.user = user;
      hit.model = served;
      hit.hist = hist;
      hit.candidates = candidates;
      hit.slots = new ReasonSlots();
      hit.penalty = penalty;
      hit.taste = taste;
      hit.factor = factor;
      hit.hot = true;
      hit.prefetched = prefetched;
      return hit;
    }
    const slots = new ReasonSlots();
    const entry: CacheEntry = {
      user,
      model: served,
      hist,
      candidates,
      hot: true,
      slots,
      penalty,
      taste,
      factor,
      prefetched,
    };
    this.cache.set(userId, entry);
    if (this.cache.size > CACHE_USERS) this.evictOne();
    return entry;
  }

  /** Drops the oldest entry not used since the scan last passed it; used ones get a second chance at the back. */
  private evictOne(): void {
    for (const [key, e] of this.cache) {
      this.cache.delete(key);
      if (!e.hot) return;
      e.hot = false;
      this.cache.set(key, e);
    }
  }
}

function arrays(c: Candidates): { candidates: Int32Array; scores: Float32Array; count: number } {
  return { candidates: c.items, scores: c.scores, count: c.count };
}

function pick(q: RecommendQuery): { category?: string; tag?: string; license?: string } {
  const o: { category?: string; tag?: string; license?: string } = {};
  if (q.category !== undefined) o.category = q.category;
  if (q.tag !== undefined) o.tag = q.tag;
  if (q.license !== undefined) o.license = q.license;
  return o;
}

export function scored(it: CatalogItem, score: number, reasons: Reason[]): ScoredItem {
  return {
    itemId: it.id,
    score,
    title: it.title,
    category: it.category,
    creator: it.creator,
    thumbnailUrl: thumbnailUrl(it.id),
    reasons,
  };
}

/**
 * The shape-taste multiplier: 1 for items sharing the user's taste, 1/(1 + boost) for the rest (undefined when the
 * user has no taste or the boost is off) — relative to each other, taste items rank as if scored (1 + boost)×.
 */
function tastePenalty(state: ServingState, taste: number, boost: number): ((item: CatalogItem) => number) | undefined {
  if (taste === 0 || !(boost > 0)) return undefined;
  const traits = catalogueTraits(state);
  const other = 1 / (1 + boost);
  return (item) => ((traits[item.index] ?? 0) & taste ? 1 : other);
}

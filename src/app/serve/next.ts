/**
 * "Print next": what comes after a user's latest event (GET /v1/users/:id/next) or after an anonymous session's
 * items (POST /v1/recommendations/session), with the same printer rules, filters and diversity caps as the
 * personal recommendations. Which model answers, in order:
 *   1. the active `sequential` artifact (`layerwise train --sequential sasrec|markov|lastknn`): it reads the history
 *      in time order (each item at its latest event, ties as training orders them) and scores the next item; the
 *      reason is its own evidence (SASRec: occlusion of the recent events; Markov / last-item kNN: the last item);
 *   2. without one, the personal model's neighbours of the latest three items (`similarItems`, newer items weigh
 *      more) — an item-kNN-on-the-last-items fallback that needs no extra training;
 *   3. without a usable history (or any model), trending items.
 */
import { dedupeKeepLast, isSequential } from '../../models/sequential.js';
import type { ServerConfig } from '../config.js';
import type { CatalogItem } from './catalog.js';
import { type Ranked, rankCandidates } from './rank.js';
import { popularityReason } from './reasons.js';
import type { RecommendationService } from './recommendations.js';
import { scored } from './recommendations.js';
import { DiversityCap, itemFilter, type PrinterRule, printabilityPenalty } from './rules.js';
import type { ServedModel } from './served-model.js';
import type { ServingState } from './state.js';
import type { NextItems, NextQuery, Reason, ScoredItem, SessionRequest } from './types.js';
import type { UserState } from './user-history.js';

/** Latest items whose neighbours the fallback blends (newest weighs 1, then 1/2, 1/3). */
const FALLBACK_LATEST = 3;
/** Neighbours taken per latest item in the fallback. */
const FALLBACK_NEIGHBOURS = 100;

const VERB: Record<string, string> = {
  make: 'printed',
  download: 'downloaded',
  like: 'liked',
  collect: 'collected',
  rating: 'rated',
  view: 'looked at',
};

interface History {
  userId: string | null;
  /** Catalogue indices, oldest first, each at its latest place. */
  sequence: Int32Array;
  /** Everything the user touched (never recommended back). */
  seen: Set<number>;
  verb: (index: number) => string;
  printer: string | null;
  ignored: string[];
}

interface Scoring {
  source: NextItems['source'];
  model: ServedModel | null;
  candidates: Int32Array;
  scores: Float32Array;
  /** The sequential model's history (model indices) for its explanations. */
  modelSequence?: Int32Array;
  /** Fallback evidence per candidate position: the latest item it neighbours, and the similarity. */
  fallbackSource?: Int32Array;
}

export class NextService {
  constructor(
    private readonly state: ServingState,
    private readonly recs: RecommendationService,
    private readonly config: ServerConfig,
  ) {}

  forUser(userId: string, q: NextQuery): NextItems | Promise<NextItems> {
    const h = this.state.histories.get(userId);
    if (h instanceof Promise) return h.then((s) => this.answer(userHistory(s), q));
    return this.answer(userHistory(h), q);
  }

  session(r: SessionRequest): NextItems {
    const ignored: string[] = [];
    const indices: number[] = [];
    for (const id of r.items) {
      const i = this.state.catalog.index(id);
      if (i === undefined || this.state.catalog.items[i]!.removed) ignored.push(id);
      else indices.push(i);
    }
    const sequence = dedupeKeepLast(indices);
    const q: NextQuery = { k: r.k, explain: r.explain, ...(r.printer === undefined ? {} : { printer: r.printer }) };
    const history: History = {
      userId: null,
      sequence,
      seen: new Set(sequence),
      verb: () => 'looked at',
      printer: null,
      ignored: [...new Set(ignored)],
    };
    return this.answer(history, q);
  }

  private answer(h: History, q: NextQuery): NextItems {
    const state = this.state;
    const rec = this.config.recommend;
    const printerId = q.printer ?? h.printer ?? undefined;
    const printer = printerId === undefined ? undefined : this.recs.printer(printerId);
    const filter = itemFilter({ skip: h.seen, ...(printer ? { printer } : {}) });
    const base = {
      catalog: state.catalog,
      k: q.k,
      filter,
      printer,
      recommend: rec,
      makeCap: () => new DiversityCap(rec.maxPerCreator, rec.maxPerFamily),
    };
    let scoring = h.sequence.length > 0 ? (this.bySequentialModel(h) ?? this.byLatestNeighbours(h)) : null;
    let ranked: Ranked[] = [];
    if (scoring !== null) {
      const s = scoring;
      ranked = rankCandidates({
        ...base,
        candidates: s.candidates,
        scores: s.scores,
        count: s.candidates.length,
      }).ranked;
      if (ranked.length === 0) scoring = null;
    }
    if (scoring === null) {
      const t = this.recs.trending.view(true);
      ranked = rankCandidates({ ...base, candidates: t.items, scores: t.scores, count: t.items.length }).ranked;
    }
    const items = this.explain(h, q, scoring, ranked, printer);
    const latest = h.sequence.length > 0 ? state.catalog.items[h.sequence[h.sequence.length - 1]!] : undefined;
    return {
      userId: h.userId,
      source: scoring?.source ?? 'trending',
      model: scoring?.model?.ref ?? null,
      after: latest ? { itemId: latest.id, title: latest.title } : null,
      printer: printer?.id ?? null,
      ignored: h.ignored,
      items,
    };
  }

  /** The active sequential model over the history in model index space; null when none or it knows no item. */
  private bySequentialModel(h: History): Scoring | null {
    const served = this.state.sequential;
    if (served === null) return null;
    const seq: number[] = [];
    for (const c of h.sequence) {
      const m = served.modelIndex(c);
      if (m >= 0) seq.push(m);
    }
    if (seq.length === 0) return null;
    const modelSequence = Int32Array.from(seq);
    const c = served.candidates(
      { items: modelSequence, weights: new Float32Array(seq.length).fill(1) },
      this.config.serving.candidates,
    );
    return { source: 'sequential', model: served, candidates: c.items, scores: c.scores, modelSequence };
  }

  /** Neighbours of the latest items by the personal model (the fallback); null when there is no model. */
  private byLatestNeighbours(h: History): Scoring | null {
    const served = this.state.model;
    if (served === null) return null;
    const best = new Map<number, { score: number; src: number }>();
    const known = served.model.data.items;
    let used = 0;
    for (let j = h.sequence.length - 1; j >= 0 && used < FALLBACK_LATEST; j--) {
      const src = this.state.catalog.items[h.sequence[j]!]!;
      if (!known.has(src.id)) continue;
      const w = 1 / ++used;
      for (const n of served.model.similarItems(src.id, FALLBACK_NEIGHBOURS)) {
        const c = this.state.catalog.index(n.item);
        if (c === undefined || !(n.score > 0)) continue;
        const s = w * n.score;
        const prev = best.get(c);
        if (prev === undefined || s > prev.score) best.set(c, { score: s, src: src.index });
      }
    }
    if (best.size === 0) return null;
    const rows = [...best.entries()].sort((a, b) => b[1].score - a[1].score);
    return {
      source: 'latest-neighbours',
      model: served,
      candidates: Int32Array.from(rows, (r) => r[0]),
      scores: Float32Array.from(rows, (r) => r[1].score),
      fallbackSource: Int32Array.from(rows, (r) => r[1].src),
    };
  }

  private explain(
    h: History,
    q: NextQuery,
    s: Scoring | null,
    ranked: Ranked[],
    printer: PrinterRule | undefined,
  ): ScoredItem[] {
    const catalog = this.state.catalog;
    const reasons: Reason[][] = ranked.map(() => []);
    if (q.explain) {
      const model = s?.model?.model;
      if (s?.source === 'sequential' && s.modelSequence && model && isSequential(model)) {
        const targets = ranked.map((r) => s.model!.modelIndex(r.index));
        const ev = model.explainNext(s.modelSequence, targets);
        ranked.forEach((_, i) => {
          const top = ev[i]?.parts.filter((p) => p.weight > 0).sort((a, b) => b.weight - a.weight)[0];
          const src = top === undefined ? undefined : catalog.items[s.model!.toCatalog[top.index] ?? -1];
          if (src && top) reasons[i]!.push(this.sequenceReason(h, src, top.weight));
        });
      } else if (s?.source === 'latest-neighbours' && s.fallbackSource) {
        ranked.forEach((r, i) => {
          const src = catalog.items[s.fallbackSource![r.pos]!];
          if (src) reasons[i]!.push(this.sequenceReason(h, src, r.score));
        });
      } else {
        const thresholds = this.recs.trending.thresholds();
        ranked.forEach((r, i) => {
          const p = popularityReason(catalog.items[r.index]!, this.state, thresholds, true);
          if (p) reasons[i]!.push(p);
        });
      }
      if (printer) {
        ranked.forEach((r, i) => {
          if (r.penalty < 1) printabilityPenalty(catalog.items[r.index]!, printer, this.config.recommend, reasons[i]!);
        });
      }
    }
    return ranked.map((r, i) => scored(catalog.items[r.index]!, r.score, reasons[i]!));
  }

  /** "because you just printed X" (X the latest item) or "… X recently" (an earlier one). */
  private sequenceReason(h: History, src: CatalogItem, weight: number): Reason {
    const last = h.sequence[h.sequence.length - 1] === src.index;
    const title = src.title.length > 60 ? `${src.title.slice(0, 57)}…` : src.title;
    const text = last
      ? `because you just ${h.verb(src.index)} "${title}"`
      : `because you ${h.verb(src.index)} "${title}" recently`;
    return { kind: 'sequence', itemId: src.id, weight, text };
  }
}

function userHistory(u: UserState): History {
  return {
    userId: u.id,
    sequence: u.sequence,
    seen: new Set(u.items.keys()),
    verb: (i) => VERB[u.strongest.get(i) ?? 'view'] ?? 'looked at',
    printer: u.printer,
    ignored: [],
  };
}

/**
 * Content reasons of a recommendation, from evidence in the catalogue rather than the model: the remix graph ("a
 * remix of X you printed", "the original of Y you printed") and the user's shape taste ("you print many small flat
 * parts like X", app/features/shape-taste.ts). The remix graph and the catalogue's trait rates are rebuilt when the
 * catalogue changes (rebuilt when an entry is replaced, extended when items are appended).
 */
import { RemixIndex } from '../features/remixes.js';
import { shapeTaste, shapeTasteText, shapeTraits, tasteExample, traitRates } from '../features/shape-taste.js';
import type { CatalogItem } from './catalog.js';
import type { ServingState } from './state.js';
import type { Reason } from './types.js';
import type { UserState } from './user-history.js';

const VERB: Record<string, string> = { make: 'printed', download: 'downloaded', like: 'liked', collect: 'collected' };

interface Cached {
  /** The catalogue state it was built from: rebuilt when an entry is replaced, extended when items are appended. */
  revision: number;
  size: number;
  remixes: RemixIndex;
  traits: Uint8Array;
  /** Items having each trait (rates = counts / size). */
  counts: number[];
  rates: number[];
}

const cache = new WeakMap<ServingState, Cached>();

/**
 * Trait masks, trait rates and the remix graph of the catalogue. Uploads append items (a new generation each): those
 * are added to what is cached — recomputing over the whole catalogue took ~250 ms per upload at 1 M items — and
 * only a replaced entry (new dimensions or remix link) rebuilds it.
 */
function cached(state: ServingState): Cached {
  const catalog = state.catalog;
  const items = catalog.items;
  const c = cache.get(state);
  if (c && c.revision === catalog.revision && c.size === items.length) return c;
  if (c && c.revision === catalog.revision && c.size < items.length) {
    let traits = c.traits;
    if (traits.length < items.length) {
      traits = new Uint8Array(Math.max(items.length, Math.ceil(c.traits.length * 1.5)));
      traits.set(c.traits.subarray(0, c.size));
    }
    for (let i = c.size; i < items.length; i++) {
      const it = items[i]!;
      const mask = shapeTraits(it.dims);
      traits[i] = mask;
      for (let t = 0; t < c.counts.length; t++) if (mask & (1 << t)) c.counts[t]!++;
      if (it.remixOf) c.remixes.set(it.id, it.remixOf);
    }
    const grown: Cached = {
      ...c,
      size: items.length,
      traits,
      rates: c.counts.map((n) => n / Math.max(1, items.length)),
    };
    cache.set(state, grown);
    return grown;
  }
  const traits = Uint8Array.from(items, (it) => shapeTraits(it.dims));
  const rates = traitRates(traits);
  const fresh: Cached = {
    revision: catalog.revision,
    size: items.length,
    remixes: RemixIndex.from(items),
    traits,
    counts: rates.map((r) => Math.round(r * Math.max(1, items.length))),
    rates,
  };
  cache.set(state, fresh);
  return fresh;
}

function quote(s: string): string {
  return `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;
}

/** The user's shape taste (trait mask; 0 = none claimed): traits most of their history has, rare in the catalogue. */
export function userShapeTaste(state: ServingState, user: UserState): number {
  if (user.items.size < 3) return 0;
  const { traits, rates } = cached(state);
  return shapeTaste(
    Array.from(user.items.keys(), (i) => traits[i] ?? 0),
    rates,
  ).traits;
}

/** Trait masks of the catalogue's items, by index (a view; recomputed or extended when the catalogue changes). */
export function catalogueTraits(state: ServingState): Uint8Array {
  const c = cached(state);
  return c.traits.subarray(0, c.size);
}

/**
 * The content reasons of one response's items for one user: what depends on the user alone (their history's trait
 * masks and taste, the ids of their history) is computed once per response, not once per item.
 */
export class ContentReasons {
  private readonly c: Cached;
  private hist: number[] | null = null;
  private histTraits: number[] = [];
  private taste = 0;
  private historyIds: Set<string> | null = null;

  constructor(
    private readonly state: ServingState,
    private readonly user: UserState,
  ) {
    this.c = cached(state);
  }

  /** Both content reasons that apply to `item`. */
  of(item: CatalogItem): Reason[] {
    const out: Reason[] = [];
    const r = this.remixReason(item);
    if (r) out.push(r);
    const s = this.shapeTasteReason(item);
    if (s) out.push(s);
    return out;
  }

  /** The remix reason for `item` given the user's history, if a remix edge links them. */
  remixReason(item: CatalogItem): Reason | null {
    const { remixes } = this.c;
    if (remixes.parentOf(item.id) === undefined && remixes.childrenOf(item.id).length === 0) return null;
    const { state, user } = this;
    if (this.historyIds === null) {
      this.historyIds = new Set<string>();
      for (const i of user.items.keys()) {
        const it = state.catalog.items[i];
        if (it) this.historyIds.add(it.id);
      }
    }
    const link = remixes.link(item.id, this.historyIds);
    if (!link) return null;
    const src = state.catalog.get(link.item)!;
    const verb = VERB[user.strongest.get(src.index) ?? ''] ?? 'looked at';
    const text =
      link.kind === 'remix-of'
        ? `a remix of ${quote(src.title)} you ${verb}`
        : `the original of ${quote(src.title)} you ${verb}`;
    return { kind: 'remix', itemId: src.id, weight: user.items.get(src.index) ?? 0, text };
  }

  /** The shape-taste reason: the candidate shares the geometric traits most of the user's history has. */
  shapeTasteReason(item: CatalogItem): Reason | null {
    const { traits, rates } = this.c;
    const mask = traits[item.index] ?? 0;
    if (mask === 0 || this.user.items.size < 3) return null;
    if (this.hist === null) {
      this.hist = [...this.user.items.keys()];
      this.histTraits = this.hist.map((i) => traits[i] ?? 0);
      this.taste = shapeTaste(this.histTraits, rates).traits;
    }
    const shared = this.taste & mask;
    if (shared === 0) return null;
    const ex = tasteExample(this.histTraits, shared);
    const src = this.state.catalog.items[this.hist[ex]!]!;
    return { kind: 'shape_taste', itemId: src.id, weight: shared, text: shapeTasteText(shared, src.title) };
  }
}

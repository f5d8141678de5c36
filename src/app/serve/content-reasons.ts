/**
 * Content reasons of a recommendation, from evidence in the catalogue rather than the model: the remix graph ("a
 * remix of X you printed", "the original of Y you printed") and the user's shape taste ("you print many small flat
 * parts like X", app/features/shape-taste.ts). The remix graph and the catalogue's trait rates are rebuilt when the
 * catalogue changes (state generation).
 */
import { RemixIndex } from '../features/remixes.js';
import { shapeTaste, shapeTasteText, shapeTraits, tasteExample, traitRates } from '../features/shape-taste.js';
import type { CatalogItem } from './catalog.js';
import type { ServingState } from './state.js';
import type { Reason } from './types.js';
import type { UserState } from './user-history.js';

const VERB: Record<string, string> = { make: 'printed', download: 'downloaded', like: 'liked', collect: 'collected' };

interface Cached {
  generation: number;
  remixes: RemixIndex;
  traits: Uint8Array;
  rates: number[];
}

const cache = new WeakMap<ServingState, Cached>();

function cached(state: ServingState): Cached {
  const c = cache.get(state);
  if (c && c.generation === state.generation) return c;
  const items = state.catalog.items;
  const traits = Uint8Array.from(items, (it) => shapeTraits(it.dims));
  const fresh = { generation: state.generation, remixes: RemixIndex.from(items), traits, rates: traitRates(traits) };
  cache.set(state, fresh);
  return fresh;
}

function quote(s: string): string {
  return `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;
}

/** The remix reason for `item` given the user's history, if a remix edge links them. */
export function remixReason(state: ServingState, user: UserState, item: CatalogItem): Reason | null {
  const { remixes } = cached(state);
  if (remixes.parentOf(item.id) === undefined && remixes.childrenOf(item.id).length === 0) return null;
  const history = new Set<string>();
  for (const i of user.items.keys()) {
    const it = state.catalog.items[i];
    if (it) history.add(it.id);
  }
  const link = remixes.link(item.id, history);
  if (!link) return null;
  const src = state.catalog.get(link.item)!;
  const verb = VERB[user.strongest.get(src.index)?.type ?? ''] ?? 'looked at';
  const text =
    link.kind === 'remix-of'
      ? `a remix of ${quote(src.title)} you ${verb}`
      : `the original of ${quote(src.title)} you ${verb}`;
  return { kind: 'remix', itemId: src.id, weight: user.items.get(src.index) ?? 0, text };
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

/** Trait masks of the catalogue's items, by index (recomputed when the catalogue changes). */
export function catalogueTraits(state: ServingState): Uint8Array {
  return cached(state).traits;
}

/** The shape-taste reason: the candidate shares the geometric traits most of the user's history has. */
export function shapeTasteReason(state: ServingState, user: UserState, item: CatalogItem): Reason | null {
  const { traits, rates } = cached(state);
  const mask = traits[item.index] ?? 0;
  if (mask === 0 || user.items.size < 3) return null;
  const hist = [...user.items.keys()];
  const histTraits = hist.map((i) => traits[i] ?? 0);
  const shared = shapeTaste(histTraits, rates).traits & mask;
  if (shared === 0) return null;
  const ex = tasteExample(histTraits, shared);
  const src = state.catalog.items[hist[ex]!]!;
  return { kind: 'shape_taste', itemId: src.id, weight: shared, text: shapeTasteText(shared, src.title) };
}

/** Both content reasons that apply. */
export function contentReasons(state: ServingState, user: UserState, item: CatalogItem): Reason[] {
  const out: Reason[] = [];
  const r = remixReason(state, user, item);
  if (r) out.push(r);
  const s = shapeTasteReason(state, user, item);
  if (s) out.push(s);
  return out;
}

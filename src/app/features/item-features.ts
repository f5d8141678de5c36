/**
 * ItemFeatures from the store: per item, the active shape encoder's vector, title words, tags and category (hashed
 * tokens), printability figures (longest side, overhang share, watertight), creator and remix lineage, assembled by
 * buildItemFeatures (src/models/content.ts) — the one source `train`, `eval --item-features store` and `serve`
 * share, so a model reads the same columns whoever built its rows. `featuresForItem` builds the row of one new item
 * (an upload, a fresh ingest) with its remix ancestors, so its lineage column matches a full rebuild's.
 */
import { LayerwiseError } from '../../core/errors.js';
import {
  buildItemFeatures,
  FEATURE_BLOCKS,
  type FeatureBlock,
  type FeatureBlockName,
  type ItemContent,
  type ItemFeatures,
  layoutOptions,
} from '../../models/content.js';
import type { Item, Store } from '../../store/ports.js';

export interface StoreFeaturesOptions {
  /** Shape encoder whose vectors fill the shape block (none: no shape block). */
  encoder?: string | undefined;
  /** Blocks to use (default: every block the store has data for). */
  blocks?: readonly FeatureBlockName[];
}

/** Block names from a flag such as `shape,tags` (or `store` / `all`: every block with data). */
export function parseFeatureBlocks(flag: string): FeatureBlockName[] | undefined {
  const parts = flag
    .split(/[,|+]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 1 && (parts[0] === 'store' || parts[0] === 'all')) return undefined;
  for (const p of parts)
    if (!(FEATURE_BLOCKS as readonly string[]).includes(p))
      throw new LayerwiseError(
        'invalid_argument',
        `--item-features: unknown block '${p}'; use store, or a list of ${FEATURE_BLOCKS.join(', ')}`,
      );
  return parts as FeatureBlockName[];
}

/** What buildItemFeatures needs of one stored item. */
export function itemContent(item: Item, shape?: Float32Array): ItemContent {
  const tokens = [item.title ?? '', ...item.tags, item.category ?? ''].filter((t) => t.length > 0);
  const c: ItemContent = { id: item.id, tokens };
  if (shape) c.shape = shape;
  const r = item.report;
  if (r) {
    c.print = {
      sizeMm: Math.max(...r.bboxMm),
      overhangShare: r.areaMm2 > 0 ? r.overhangAreaMm2 / r.areaMm2 : 0,
      watertight: r.watertight,
    };
  }
  if (item.creator) c.creator = item.creator;
  if (item.remixOf) c.remixOf = item.remixOf;
  return c;
}

/** Every stored item (stubs known only from events included: they may have a title or tags). */
export async function allItems(store: Store): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listItems({ limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** The store's item features, or undefined when no item has any content. */
export async function storeItemFeatures(store: Store, o: StoreFeaturesOptions = {}): Promise<ItemFeatures | undefined> {
  const items = await allItems(store);
  const shapes = o.encoder ? await store.allEmbeddings(o.encoder) : undefined;
  const byId = new Map<string, Float32Array>();
  if (shapes)
    for (const [r, id] of shapes.itemIds.entries())
      byId.set(id, shapes.vectors.subarray(r * shapes.dim, (r + 1) * shapes.dim));
  const content = items.map((it) => itemContent(it, byId.get(it.id)));
  if (o.blocks?.includes('shape') && byId.size === 0)
    throw new LayerwiseError(
      'invalid_argument',
      `no shape vectors${o.encoder ? ` for encoder '${o.encoder}'` : ''}: run layerwise embed first`,
    );
  const f = buildItemFeatures(content, o.blocks ? { blocks: o.blocks } : {});
  return f.dim > 0 ? f : undefined;
}

/**
 * The feature row of one item laid out like `layout` (the served model's blocks): its remix ancestors (looked up by
 * `lookup`) go into the build so its lineage bucket is the one a full rebuild would give. Blocks the item has no
 * data for are zeros.
 */
export function featuresForItem(
  item: ItemContent,
  layout: readonly FeatureBlock[],
  lookup: (id: string) => ItemContent | undefined,
): ItemFeatures {
  const chain: ItemContent[] = [];
  const seen = new Set([item.id]);
  for (let p = item.remixOf; p && !seen.has(p); ) {
    seen.add(p);
    const a = lookup(p);
    if (!a) break;
    chain.push(a);
    p = a.remixOf;
  }
  const all = buildItemFeatures([item, ...chain], layoutOptions(layout));
  return { dim: all.dim, ids: [item.id], values: all.values.slice(0, all.dim), blocks: layout };
}

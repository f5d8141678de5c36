/**
 * Items the served model never saw (uploads, ingests after training) scored at once by a content-aware model's item
 * tower (`ContentAware.addItems`, the hybrid): their rows are built from the catalogue entry and its shape vector,
 * laid out like the model's training features (app/features), so no retrain is needed before they can be
 * recommended. Other models leave such items unscored until the next `layerwise train`.
 */
import type { ItemContent } from '../../models/content.js';
import { type ItemFeatures, isContentAware, type Recommender } from '../../models/recommender.js';
import { featuresForItem } from '../features/item-features.js';
import type { Catalog, CatalogItem } from './catalog.js';
import type { ShapeVectors } from './shape-vectors.js';

/** What buildItemFeatures needs of a catalogue entry (dims are sorted ascending: the last is the longest side). */
export function catalogContent(it: CatalogItem, shape?: Float32Array): ItemContent {
  const tokens = [it.title, ...it.tags, it.category ?? ''].filter((t) => t.length > 0);
  const c: ItemContent = { id: it.id, tokens };
  if (shape) c.shape = shape;
  if (it.dims) {
    c.print = { sizeMm: it.dims[2], overhangShare: it.supportRatio };
    if (it.watertight !== null) c.print.watertight = it.watertight;
  }
  if (it.creator) c.creator = it.creator;
  if (it.remixOf) c.remixOf = it.remixOf;
  return c;
}

/**
 * Gives the catalogue items at `indices` a content factor in `model` (a content-aware model; others: undefined).
 * Shape vectors of another width than the model's shape block count as missing.
 */
export function addContentItems(
  model: Recommender,
  catalog: Catalog,
  shapes: ShapeVectors | null,
  indices: readonly number[],
): { added: number; updated: number } | undefined {
  const m = model;
  if (!isContentAware(m) || indices.length === 0) return undefined;
  const layout = m.featureBlocks;
  const shapeDim = layout.find((b) => b.name === 'shape')?.dim;
  const vector = (i: number): Float32Array | undefined => {
    const v = shapes?.vector(i);
    return v && v.length === shapeDim ? v : undefined;
  };
  const lookup = (id: string): ItemContent | undefined => {
    const i = catalog.index(id);
    return i === undefined ? undefined : catalogContent(catalog.items[i]!, vector(i));
  };
  const rows: ItemFeatures[] = indices.map((i) =>
    featuresForItem(catalogContent(catalog.items[i]!, vector(i)), layout, lookup),
  );
  const dim = rows[0]!.dim;
  const values = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => {
    values.set(r.values, k * dim);
  });
  return m.addItems({ dim, ids: rows.map((r) => r.ids[0]!), values, blocks: layout });
}

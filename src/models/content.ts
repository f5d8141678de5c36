/**
 * Item content as model input: `buildItemFeatures` turns per-item listing facts (shape-encoder vector, title words,
 * tags, category, printability figures, creator, remix parent) into one `ItemFeatures` matrix of plain typed arrays,
 * a block per kind of fact, each block L2-normalised so no block outweighs another by its size. The same function
 * serves train, eval and serve (and the public-set loaders in src/eval/content.ts), so a model sees the same
 * columns whoever built them. Tokens, creators and remix lineages are hashed into fixed buckets (the hashing trick:
 * Weinberger et al., "Feature hashing for large scale multitask learning", ICML 2009), so a new item's row needs no
 * vocabulary refit.
 */
import { LayerwiseError } from '../core/errors.js';
import { hashString } from '../core/rng.js';
import type { FeatureBlock, ItemFeatures } from './recommender.js';

export type { FeatureBlock, ItemFeatures } from './recommender.js';

/** The feature blocks `buildItemFeatures` can emit, in column order. */
export const FEATURE_BLOCKS = ['shape', 'tags', 'print', 'creator', 'remix'] as const;
export type FeatureBlockName = (typeof FEATURE_BLOCKS)[number];

/** What is known of one item; any part may be missing (its block is zeros). */
export interface ItemContent {
  id: string;
  /** The active shape encoder's vector of the item's mesh. */
  shape?: Float32Array;
  /** Title words, tags, category, genres: free tokens (lower-cased and split into words here). */
  tokens?: readonly string[];
  /** Printability figures: longest bounding-box side (mm), overhang share (0..1), watertight. */
  print?: { sizeMm?: number; overhangShare?: number; watertight?: boolean };
  creator?: string;
  /** The item this one is a remix of (its lineage groups originals with their remixes). */
  remixOf?: string;
}

export interface BuildFeaturesOptions {
  /** Blocks to emit (default: every block some item has data for). */
  blocks?: readonly FeatureBlockName[];
  /** Buckets of the hashed token block (default 256). */
  tokenBuckets?: number;
  /** Buckets of the hashed creator and remix-lineage blocks (default 64 each). */
  idBuckets?: number;
  /** Width of the shape block when no item of this build has a vector (rows for one new item, laid out as trained). */
  shapeDim?: number;
}

/** Lower-cased words of free text (letters and digits). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Scales v[from..to) to unit L2 norm (zeros stay zeros). */
export function l2Normalise(v: Float32Array, from = 0, to = v.length): void {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]! * v[i]!;
  if (s === 0) return;
  const n = 1 / Math.sqrt(s);
  for (let i = from; i < to; i++) v[i] = v[i]! * n;
}

/**
 * The lineage root of each item in a remix lineage (a remix, or an original that has remixes): follows remixOf to
 * the first ancestor (cycles stop where they close). Items outside any lineage are absent.
 */
function lineageRoots(items: readonly ItemContent[]): Map<string, string> {
  const parent = new Map<string, string>();
  for (const it of items) if (it.remixOf) parent.set(it.id, it.remixOf);
  const parents = new Set(parent.values());
  const roots = new Map<string, string>();
  for (const it of items) {
    if (!(parent.has(it.id) || parents.has(it.id))) continue;
    let r = it.id;
    const seen = new Set<string>([r]);
    while (parent.has(r) && !seen.has(parent.get(r)!)) {
      r = parent.get(r)!;
      seen.add(r);
    }
    roots.set(it.id, r);
  }
  return roots;
}

function blockSizes(items: readonly ItemContent[], o: BuildFeaturesOptions): Map<FeatureBlockName, number> {
  const shapeDim = items.find((it) => it.shape)?.shape?.length ?? o.shapeDim ?? 0;
  const sizes: Record<FeatureBlockName, number> = {
    shape: shapeDim,
    tags: o.tokenBuckets ?? 256,
    print: 3,
    creator: o.idBuckets ?? 64,
    remix: o.idBuckets ?? 64,
  };
  const has: Record<FeatureBlockName, boolean> = {
    shape: shapeDim > 0,
    tags: items.some((it) => (it.tokens?.length ?? 0) > 0),
    print: items.some((it) => it.print !== undefined),
    creator: items.some((it) => it.creator !== undefined),
    remix: items.some((it) => it.remixOf !== undefined),
  };
  const wanted = o.blocks ?? FEATURE_BLOCKS.filter((b) => has[b]);
  for (const b of wanted) {
    if (!FEATURE_BLOCKS.includes(b))
      throw new LayerwiseError('invalid_argument', `unknown feature block '${b}'; known: ${FEATURE_BLOCKS.join(', ')}`);
    if (b === 'shape' && shapeDim === 0)
      throw new LayerwiseError('invalid_argument', 'feature block shape: no item has a shape vector (run embed first)');
  }
  return new Map(FEATURE_BLOCKS.filter((b) => wanted.includes(b)).map((b) => [b, sizes[b]]));
}

/** One row per item, blocks in FEATURE_BLOCKS order; throws invalid_argument for unknown blocks or ragged shapes. */
export function buildItemFeatures(items: readonly ItemContent[], o: BuildFeaturesOptions = {}): ItemFeatures {
  const sizes = blockSizes(items, o);
  const blocks: FeatureBlock[] = [];
  let dim = 0;
  for (const [name, size] of sizes) {
    blocks.push({ name, offset: dim, dim: size });
    dim += size;
  }
  const values = new Float32Array(items.length * dim);
  const roots = sizes.has('remix') ? lineageRoots(items) : new Map<string, string>();
  items.forEach((it, r) => {
    const row = values.subarray(r * dim, (r + 1) * dim);
    for (const b of blocks) fillBlock(row, b, it, roots);
  });
  return { dim, ids: items.map((it) => it.id), values, blocks };
}

function fillBlock(row: Float32Array, b: FeatureBlock, it: ItemContent, roots: Map<string, string>): void {
  const at = (i: number, v: number): void => {
    row[b.offset + i] = row[b.offset + i]! + v;
  };
  switch (b.name as FeatureBlockName) {
    case 'shape':
      if (!it.shape) return;
      if (it.shape.length !== b.dim)
        throw new LayerwiseError(
          'invalid_argument',
          `item '${it.id}': shape vector has ${it.shape.length} values, expected ${b.dim} (mixed encoders?)`,
        );
      row.set(it.shape, b.offset);
      break;
    case 'tags':
      for (const t of it.tokens ?? []) for (const w of words(t)) at(hashString(w) % b.dim, 1);
      break;
    case 'print': {
      const p = it.print;
      if (!p) return;
      // log size over a 1 mm .. 1 m range, overhang share as is, watertight ±1: comparable magnitudes
      if (p.sizeMm !== undefined && p.sizeMm > 0) at(0, Math.log10(Math.max(1, p.sizeMm)) / 3);
      if (p.overhangShare !== undefined) at(1, Math.min(1, Math.max(0, p.overhangShare)));
      if (p.watertight !== undefined) at(2, p.watertight ? 0.5 : -0.5);
      return; // not normalised: the magnitudes are the figures
    }
    case 'creator':
      if (it.creator) at(hashString(it.creator) % b.dim, 1);
      break;
    case 'remix': {
      // the lineage root's bucket: an original and every remix of it share one column
      const root = roots.get(it.id);
      if (root !== undefined) at(hashString(root) % b.dim, 1);
      break;
    }
  }
  l2Normalise(row, b.offset, b.offset + b.dim);
}

/** The build options that reproduce a feature layout (blocks and their widths), e.g. a trained model's. */
export function layoutOptions(blocks: readonly FeatureBlock[]): BuildFeaturesOptions {
  const dim = (n: string): number | undefined => blocks.find((b) => b.name === n)?.dim;
  const o: BuildFeaturesOptions = { blocks: blocks.map((b) => b.name as FeatureBlockName) };
  const tags = dim('tags');
  const ids = dim('creator') ?? dim('remix');
  const shape = dim('shape');
  if (tags !== undefined) o.tokenBuckets = tags;
  if (ids !== undefined) o.idBuckets = ids;
  if (shape !== undefined) o.shapeDim = shape;
  return o;
}

/** Row index of each id of the features. */
export function featureIndex(f: ItemFeatures): Map<string, number> {
  return new Map(f.ids.map((id, i) => [id, i]));
}

/** The row of one item (a view), or undefined. */
export function featureRow(f: ItemFeatures, index: ReadonlyMap<string, number>, id: string): Float32Array | undefined {
  const r = index.get(id);
  return r === undefined ? undefined : f.values.subarray(r * f.dim, (r + 1) * f.dim);
}

/** Checks the matrix size against ids and dim. */
export function assertFeatures(f: ItemFeatures): void {
  if (!(Number.isInteger(f.dim) && f.dim > 0) || f.values.length !== f.ids.length * f.dim)
    throw new LayerwiseError(
      'invalid_argument',
      `itemFeatures: ${f.values.length} values for ${f.ids.length} items × dim ${f.dim}`,
    );
}

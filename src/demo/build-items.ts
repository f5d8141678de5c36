/**
 * Builds the planned catalog into printable files: new designs and remixes go through constructive geometry (a
 * design that fails validation is redrawn from the item's own random stream), variants re-use an earlier design
 * scaled and rotated. Each item becomes bytes (binary STL, or 3MF for multi-part and some single-part designs) plus
 * its listing metadata. Pure apart from the WASM kernel: writing is the caller's job.
 */
import { strToU8, zipSync } from 'fflate';
import { isLayerwiseError, LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { encode3mfModelXml, encodeStlBinary } from '../io/encode.js';
import { buildShape, MAX_SIZE_MM, type ShapeResult } from './build-shape.js';
import { type PlannedItem, streamSeed } from './catalog.js';
import { type Params, perturbParams, sampleParams, TRAITS, type Trait } from './family.js';
import type { Kernel } from './kernel.js';
import { itemDescription, itemTitle } from './words.js';

export interface BuiltItem {
  plan: PlannedItem;
  /** Parameters actually built (after any redraw). */
  params: Params;
  /** Path relative to the output folder, e.g. `models/vase/vase-00012.stl`. */
  path: string;
  format: 'stl' | '3mf';
  bytes: Uint8Array;
  title: string;
  description: string;
  tags: string[];
  traits: Record<Trait, boolean>;
  triangles: number;
  bboxMm: [number, number, number];
  volumeMm3: number;
  genus: number;
}

const REDRAWS = 8;
/** Fixed ZIP timestamps keep 3MF bytes identical from run to run. */
const ZIP_MTIME = new Date(Date.UTC(2025, 0, 1));

/** A 3MF package with one object per part, named `<id> <part>` (the model XML of src/io/encode.ts, zipped reproducibly). */
export function reproducible3mf(shape: ShapeResult, id: string): Uint8Array {
  const xml = encode3mfModelXml(shape.parts.map((p) => ({ name: `${id} ${p.name}`, mesh: p })));
  const types =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>' +
    '</Relationships>';
  return zipSync(
    {
      '[Content_Types].xml': strToU8(types),
      _rels: { '.rels': strToU8(rels) },
      '3D': { '3dmodel.model': strToU8(xml) },
    },
    { level: 6, mtime: ZIP_MTIME },
  );
}

/** All parts as one triangle soup (for STL). */
export function mergeParts(shape: ShapeResult): { positions: Float32Array; indices: Uint32Array } {
  const vertices = shape.parts.reduce((s, p) => s + p.positions.length, 0);
  const positions = new Float32Array(vertices);
  const indices = new Uint32Array(shape.parts.reduce((s, p) => s + p.indices.length, 0));
  let v = 0;
  let t = 0;
  for (const p of shape.parts) {
    positions.set(p.positions, v);
    for (let i = 0; i < p.indices.length; i++) indices[t + i] = p.indices[i]! + v / 3;
    v += p.positions.length;
    t += p.indices.length;
  }
  return { positions, indices };
}

/** A re-used design scaled by `s` (reduced to fit the printer) and turned `deg` degrees about z. */
export function transformShape(base: ShapeResult, s: number, deg: number): ShapeResult {
  const fit = Math.min(MAX_SIZE_MM[0] / Math.hypot(base.bboxMm[0], base.bboxMm[1]), MAX_SIZE_MM[2] / base.bboxMm[2]);
  const k = Math.min(s, Math.max(fit, 0.5));
  const c = Math.cos((deg * Math.PI) / 180);
  const sn = Math.sin((deg * Math.PI) / 180);
  const parts = base.parts.map((p) => {
    const q = new Float32Array(p.positions.length);
    for (let i = 0; i < q.length; i += 3) {
      const x = p.positions[i]! * k;
      const y = p.positions[i + 1]! * k;
      q[i] = x * c - y * sn;
      q[i + 1] = x * sn + y * c;
      q[i + 2] = p.positions[i + 2]! * k;
    }
    return { name: p.name, positions: q, indices: p.indices };
  });
  const longest = Math.max(...base.bboxMm) * k;
  const traits = { ...base.traits, small: longest <= 40, large: longest >= 120 };
  const bbox = base.bboxMm.map((v) => v * k) as [number, number, number];
  return { ...base, parts, traits, bboxMm: bbox, volumeMm3: base.volumeMm3 * k ** 3 };
}

function buildWithRedraws(k: Kernel, item: PlannedItem, plan: readonly PlannedItem[], seed: number) {
  let params = item.params;
  let rng: Rng | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return { shape: buildShape(k, item.family, params), params };
    } catch (e) {
      if (!isLayerwiseError(e) || e.code !== 'fit_failed' || attempt >= REDRAWS) {
        throw new LayerwiseError(
          'fit_failed',
          `demo item ${item.id}: no valid ${item.family.id} after ${attempt + 1} tries`,
          { cause: e },
        );
      }
      rng ??= new Rng(streamSeed(seed, 'redraw', item.index));
      const original = item.remixOf === undefined ? undefined : plan[item.remixOf];
      params = original ? perturbParams(item.family, original.params, rng, 0.25) : sampleParams(item.family, rng);
    }
  }
}

/**
 * Builds items in plan order. `cache` keeps built designs until their last variant is made (pass one Map for the
 * whole run); `finalParams` records the parameters each item was built with (remixes start from them).
 */
export function buildItem(
  k: Kernel,
  item: PlannedItem,
  plan: PlannedItem[],
  seed: number,
  cache: Map<number, ShapeResult>,
  lastUse: Map<number, number>,
): BuiltItem {
  let shape: ShapeResult;
  let params: Params;
  if (item.variantOf !== undefined) {
    const base = cache.get(item.variantOf);
    if (!base) throw new LayerwiseError('internal', `demo item ${item.id}: design ${item.variantOf} was not kept`);
    if (lastUse.get(item.variantOf) === item.index) cache.delete(item.variantOf);
    shape = transformShape(base, item.scale, item.rotationDeg);
    params = { ...plan[item.variantOf]!.params, scale: item.scale, rotation: item.rotationDeg };
  } else {
    if (item.remixOf !== undefined) {
      // Remix the original as it was finally built (its parameters may have been redrawn).
      item.params = perturbParams(
        item.family,
        plan[item.remixOf]!.params,
        new Rng(streamSeed(seed, 'remix', item.index)),
      );
    }
    ({ shape, params } = buildWithRedraws(k, item, plan, seed));
    item.params = params;
    if (lastUse.has(item.index)) cache.set(item.index, shape);
  }
  const rng = new Rng(streamSeed(seed, 'listing', item.index));
  const format = shape.parts.length > 1 || item.threeMf ? '3mf' : 'stl';
  const path = `models/${item.family.id}/${item.id}.${format}`;
  const bytes =
    format === '3mf'
      ? reproducible3mf(shape, item.id)
      : encodeStlBinary(mergeParts(shape), `layerwise demo ${item.id}`);
  const original = item.remixOf === undefined ? undefined : plan[item.remixOf]!;
  const phrase = item.family.describe(params);
  const title = original
    ? `${rng.bernoulli(0.5) ? 'Remix: ' : ''}${itemTitle(rng, phrase, item.family.noun)}`
    : itemTitle(rng, phrase, item.family.noun);
  const traitTags = TRAITS.filter((t) => shape.traits[t] && t !== 'ornate').slice(0, 2);
  const tags = [
    ...new Set([...item.family.tags.slice(0, 2 + rng.int(2)), ...shape.tags.map((t) => t.toLowerCase()), ...traitTags]),
  ];
  if (original) tags.push('remix');
  return {
    plan: item,
    params,
    path,
    format,
    bytes,
    title,
    description: itemDescription(
      rng,
      title,
      shape.bboxMm,
      original ? `${original.family.describe(original.params)} ${original.family.noun}` : undefined,
    ),
    tags,
    traits: shape.traits,
    triangles: shape.triangles,
    bboxMm: shape.bboxMm.map((v) => Math.round(v * 10) / 10) as [number, number, number],
    volumeMm3: Math.round(shape.volumeMm3),
    genus: shape.genus,
  };
}

/** For each design, the index of the last item that re-uses it (designs never re-used are absent). */
export function designLastUse(plan: readonly PlannedItem[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const it of plan) if (it.variantOf !== undefined) m.set(it.variantOf, it.index);
  return m;
}

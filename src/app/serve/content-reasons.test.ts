/**
 * Content reasons' catalogue cache: appended items (uploads) extend the trait masks, rates and remix graph instead of
 * recomputing them over the whole catalogue, and give the same answers as a rebuild; a replaced entry rebuilds.
 * The per-response ContentReasons computes the user's taste once and explains each item with it.
 */
import { describe, expect, it } from 'vitest';
import type { PrintabilityReport } from '../../core/printability.js';
import type { Item } from '../../store/ports.js';
import { SHAPE_TRAITS, shapeTraits, traitRates } from '../features/shape-taste.js';
import { Catalog } from './catalog.js';
import { ContentReasons, catalogueTraits, userShapeTaste } from './content-reasons.js';
import type { ServingState } from './state.js';
import type { UserState } from './user-history.js';

function item(id: string, bboxMm: [number, number, number], remixOf: string | null = null): Item {
  const report = { bboxMm, watertight: true, areaMm2: 100, overhangAreaMm2: 0 } as unknown as PrintabilityReport;
  return {
    id,
    title: `Title of ${id}`,
    description: null,
    category: 'part',
    tags: [],
    creator: null,
    license: null,
    remixOf,
    createdAt: null,
    status: 'ready',
    fileHash: null,
    path: null,
    format: null,
    sizeBytes: null,
    report,
    error: null,
    ingestedAt: 0,
    updatedAt: 0,
  } as Item;
}

const FLAT: [number, number, number] = [60, 60, 2]; // flat (and neither small nor large)
const CUBE: [number, number, number] = [60, 60, 60];

function user(indices: number[]): UserState {
  return {
    id: 'u',
    items: new Map(indices.map((i) => [i, 1])),
    foldIn: new Map(indices.map((i) => [i, 1])),
    byType: { make: indices.length },
    events: indices.length,
    lastActive: 0,
    strongest: new Map(indices.map((i) => [i, 'make'])),
    sequence: Int32Array.from(indices),
    recent: [],
    printer: null,
    complete: true,
  };
}

describe('content reasons over a growing catalogue', () => {
  it('extends the cached traits and remix graph when items are appended, matching a rebuild', () => {
    const catalog = Catalog.from(Array.from({ length: 20 }, (_, i) => item(`c${i}`, i < 2 ? FLAT : CUBE)));
    const state = { catalog } as unknown as ServingState;
    const before = catalogueTraits(state);
    expect(before.length).toBe(20);
    // appended: 5 flat items, the last a remix of c0
    for (let i = 0; i < 5; i++) catalog.upsert(item(`n${i}`, FLAT, i === 4 ? 'c0' : null));
    const grown = catalogueTraits(state);
    const rebuilt = Uint8Array.from(catalog.items, (it) => shapeTraits(it.dims));
    expect([...grown]).toEqual([...rebuilt]);
    // the user's history: 3 flat items (c0, c1, n0) — flat is 7/25 of the catalogue, under half: a taste
    const u = user([0, 1, 20]);
    expect(userShapeTaste(state, u)).toBe(1 << SHAPE_TRAITS.indexOf('flat'));
    expect(traitRates(grown)[SHAPE_TRAITS.indexOf('flat')]).toBeCloseTo(7 / 25, 10);
    const reasons = new ContentReasons(state, u);
    const remix = reasons.of(catalog.get('n4')!);
    expect(remix.map((r) => r.kind)).toEqual(['remix', 'shape_taste']);
    expect(remix[0]!.text).toBe('a remix of "Title of c0" you printed');
    expect(remix[1]!.text).toMatch(/^you print many flat parts like "Title of /);
    expect(reasons.of(catalog.get('c5')!)).toEqual([]); // a cube: no shared trait, no remix edge
  });

  it('rebuilds when an entry is replaced (new dimensions)', () => {
    const catalog = Catalog.from(Array.from({ length: 10 }, (_, i) => item(`c${i}`, CUBE)));
    const state = { catalog } as unknown as ServingState;
    expect(catalogueTraits(state)[3]).toBe(shapeTraits(CUBE));
    catalog.upsert(item('c3', FLAT));
    expect(catalogueTraits(state)[3]).toBe(shapeTraits(FLAT));
    expect(catalogueTraits(state).length).toBe(10);
  });

  it('claims no taste for a history of fewer than three items', () => {
    const catalog = Catalog.from(Array.from({ length: 10 }, (_, i) => item(`c${i}`, i < 2 ? FLAT : CUBE)));
    const state = { catalog } as unknown as ServingState;
    const u = user([0, 1]);
    expect(userShapeTaste(state, u)).toBe(0);
    expect(new ContentReasons(state, u).of(catalog.get('c0')!)).toEqual([]);
  });
});

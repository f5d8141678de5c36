import { describe, expect, it } from 'vitest';
import { analyzeMesh } from '../../geometry/analyze.js';
import { getPrinter } from '../../geometry/printers.js';
import { prism } from '../../geometry/prism.js';
import type { Item } from '../../store/ports.js';
import { loadServerConfig } from '../config.js';
import type { CatalogItem } from './catalog.js';
import { Catalog } from './catalog.js';
import { rankCandidates } from './rank.js';
import { applyPenalty, DiversityCap, fitsPrinter, itemFilter, printabilityPenalty, printerRule } from './rules.js';

const rec = loadServerConfig({}, {}).recommend;

function item(over: Partial<CatalogItem> & { index: number }): CatalogItem {
  return {
    id: `i${over.index}`,
    title: 't',
    description: '',
    category: 'vase',
    tags: [],
    creator: 'a',
    license: 'CC-BY',
    format: 'stl-binary',
    remixOf: null,
    family: `i${over.index}`,
    dims: [10, 10, 10],
    watertight: true,
    removed: false,
    supportRatio: 0,
    supportOriented: true,
    ...over,
  };
}

describe('printer rules', () => {
  const mini = printerRule(getPrinter('prusa-mini')); // 180³
  const mk4 = printerRule(getPrinter('prusa-mk4')); // 250 × 210 × 220
  const resin = printerRule(getPrinter('elegoo-mars')); // 120 × 68 × 155

  it('fits an item in some axis permutation of the build volume', () => {
    expect(fitsPrinter(item({ index: 0, dims: [10, 170, 230] }), mk4)).toBe(true); // lie it down
    expect(fitsPrinter(item({ index: 0, dims: [10, 170, 230] }), mini)).toBe(false);
    expect(fitsPrinter(item({ index: 0, dims: [60, 100, 150] }), resin)).toBe(true);
    expect(fitsPrinter(item({ index: 0, dims: [70, 100, 150] }), resin)).toBe(false);
    expect(fitsPrinter(item({ index: 0, dims: null }), mini)).toBe(true);
  });

  it('penalises support on FDM more than on resin, and open meshes more on resin', () => {
    const heavy = item({ index: 0, supportRatio: 0.3 });
    expect(printabilityPenalty(heavy, mini, rec, null)).toBeCloseTo(rec.supportPenalty);
    expect(printabilityPenalty(heavy, resin, rec, null)).toBe(1); // below the resin threshold
    const veryHeavy = item({ index: 0, supportRatio: 0.5 });
    expect(printabilityPenalty(veryHeavy, resin, rec, null)).toBeCloseTo(Math.sqrt(rec.supportPenalty));
    const open = item({ index: 0, watertight: false });
    const reasons: { text: string }[] = [];
    expect(printabilityPenalty(open, mini, rec, reasons as never)).toBeCloseTo(rec.openMeshPenalty);
    expect(printabilityPenalty(open, resin, rec, null)).toBeCloseTo(rec.openMeshPenalty ** 2);
    expect(reasons[0]!.text).toMatch(/watertight/);
  });

  it('counts the support an item needs in its best orientation, not as stored', () => {
    // A T stored upside down: a 40 × 3 mm top bar on a 4 mm stem, extruded 40 mm. As stored the bar's two arms
    // overhang (2 × 18 × 40 = 1,440 mm² of 5,440 mm²: 26 %); laid on the bar it needs no support at all.
    const t = prism(
      [
        [18, 0],
        [22, 0],
        [22, 20],
        [40, 20],
        [40, 23],
        [0, 23],
        [0, 20],
        [18, 20],
      ],
      40,
    );
    const report = analyzeMesh(t, { printer: getPrinter('prusa-mk4'), checks: { thickness: false } });
    expect(report.overhangAreaMm2 / report.areaMm2).toBeCloseTo(1440 / 5440, 2);
    expect(report.bestOrientation!.supportAreaMm2).toBeLessThan(1);
    const stored: Item = {
      id: 't',
      status: 'ready',
      fileHash: null,
      path: 'demo/t.stl',
      format: 'stl-binary',
      sizeBytes: 1,
      report,
      error: null,
      ingestedAt: 0,
      updatedAt: 0,
      title: 'T',
      description: null,
      tags: [],
      category: null,
      license: null,
      creator: null,
      remixOf: null,
      createdAt: null,
    };
    const { bestOrientation: _, ...older } = report; // a report stored before issue 20
    const catalog = Catalog.from([stored, { ...stored, id: 'old', report: older }]);
    const [best, asStored] = catalog.items as [CatalogItem, CatalogItem];
    expect(best.supportRatio).toBeLessThan(0.001);
    expect(best.supportOriented).toBe(true);
    expect(printabilityPenalty(best, mk4, rec, null)).toBe(1);
    const reasons: { text: string }[] = [];
    expect(asStored.supportRatio).toBeCloseTo(1440 / 5440, 2);
    expect(printabilityPenalty(asStored, mk4, rec, reasons as never)).toBeCloseTo(rec.supportPenalty);
    expect(reasons[0]!.text).toMatch(/26% overhang as stored/);
  });

  it('never raises a score with a penalty', () => {
    expect(applyPenalty(2, 0.5)).toBe(1);
    expect(applyPenalty(-2, 0.5)).toBe(-4);
    expect(applyPenalty(3, 1)).toBe(3);
    expect(applyPenalty(3, 0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('filters case-insensitively by category and license, exactly by tag, and skips indices', () => {
    const f = itemFilter({ category: 'VASE', tag: 'x', license: 'cc-by', skip: new Set([1]) });
    expect(f(item({ index: 0, tags: ['x'] }))).toBe(true);
    expect(f(item({ index: 1, tags: ['x'] }))).toBe(false);
    expect(f(item({ index: 2, tags: ['X'] }))).toBe(false);
    expect(f(item({ index: 3, tags: ['x'], category: 'gear' }))).toBe(false);
  });

  it('caps items per creator and per family', () => {
    const cap = new DiversityCap(2, 1);
    expect(cap.admit(item({ index: 0, creator: 'a', family: 'f1' }))).toBe(true);
    expect(cap.admit(item({ index: 1, creator: 'a', family: 'f1' }))).toBe(false); // family full
    expect(cap.admit(item({ index: 2, creator: 'a', family: 'f2' }))).toBe(true);
    expect(cap.admit(item({ index: 3, creator: 'a', family: 'f3' }))).toBe(false); // creator full
    expect(cap.admit(item({ index: 4, creator: 'b', family: 'f3' }))).toBe(true);
  });
});

describe('rankCandidates', () => {
  const catalog = Catalog.from([]);
  const items = Array.from({ length: 6 }, (_, index) =>
    item({ index, supportRatio: index === 0 ? 0.5 : 0, creator: index < 3 ? 'a' : 'b' }),
  );
  catalog.items.push(...items);
  const base = {
    catalog,
    candidates: [0, 1, 2, 3, 4, 5],
    scores: [10, 9, 8, 7, 6, 5],
    count: 6,
    filter: () => true,
    recommend: rec,
  };

  it('re-sorts after penalties and equals a brute-force ranking', () => {
    const printer = printerRule(getPrinter('prusa-mk4'));
    const out = rankCandidates({ ...base, k: 3, printer, makeCap: () => new DiversityCap(0, 0) });
    // item 0 → 10 × 0.7 = 7 ties item 3 (7) and loses to 1 and 2
    expect(out.ranked.map((r) => r.index)).toEqual([1, 2, 0]);
    expect(out.ranked[2]!.score).toBeCloseTo(7);
    expect(out.exhausted).toBe(false);
  });

  it('applies diversity caps in adjusted order and inspects more candidates when needed', () => {
    const out = rankCandidates({ ...base, k: 4, printer: undefined, makeCap: () => new DiversityCap(2, 0) });
    expect(out.ranked.map((r) => r.index)).toEqual([0, 1, 3, 4]);
  });
});

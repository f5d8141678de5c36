/**
 * Business rules applied after scoring: printer fit (remove), printability down-ranking (FDM vs resin), filters
 * (category, tag, license, exclude, already seen) and diversity caps (per creator, per remix family).
 *
 * Fit: an item fits when its sorted bounding-box dimensions fit the sorted build volume — i.e. it fits
 * axis-aligned in one of the six axis permutations. (Parts that fit only rotated diagonally are rare and are
 * removed; the ingest-time report has the exact fit for the default printer.)
 * Down-ranking multiplies a positive score by a penalty < 1 (divides a negative one), so an adjusted score is never
 * above the model score; the ranker relies on that to stop early.
 */
import type { PrinterProfile } from '../../core/printability.js';
import type { ServerConfig } from '../config.js';
import type { CatalogItem } from './catalog.js';
import type { Reason } from './types.js';

export interface PrinterRule {
  id: string;
  technology: 'fdm' | 'resin';
  /** Build volume sorted ascending. */
  sorted: [number, number, number];
}

export function printerRule(p: PrinterProfile): PrinterRule {
  return {
    id: p.id,
    technology: p.technology,
    sorted: [...p.buildVolumeMm].sort((a, b) => a - b) as [number, number, number],
  };
}

export function fitsPrinter(item: CatalogItem, rule: PrinterRule): boolean {
  const d = item.dims;
  if (d === null) return true; // unknown geometry (stub): cannot prove it does not fit
  const s = rule.sorted;
  return d[0] <= s[0] + 1e-3 && d[1] <= s[1] + 1e-3 && d[2] <= s[2] + 1e-3;
}

/** Support ratio above which a part "needs much support", by technology. */
const SUPPORT_THRESHOLD = { fdm: 0.15, resin: 0.35 } as const;

/**
 * The printability multiplier of an item on a printer (1 = no penalty) and the reasons for it. FDM: overhangs
 * need support material and open meshes slice badly. Resin: everything is supported anyway (weaker support
 * penalty, higher threshold), but open meshes cannot be hollowed or sliced reliably (stronger penalty).
 */
export function printabilityPenalty(
  item: CatalogItem,
  rule: PrinterRule,
  rec: ServerConfig['recommend'],
  reasons: Reason[] | null,
): number {
  let p = 1;
  if (item.supportRatio > SUPPORT_THRESHOLD[rule.technology]) {
    const f = rule.technology === 'fdm' ? rec.supportPenalty : Math.sqrt(rec.supportPenalty);
    p *= f;
    reasons?.push({
      kind: 'printer',
      weight: f,
      text: `needs much support on ${rule.technology === 'fdm' ? 'an FDM' : 'a resin'} printer (${Math.round(item.supportRatio * 100)}% overhang ${item.supportOriented ? 'in its best orientation' : 'as stored'})`,
    });
  }
  if (item.watertight === false) {
    const f = rule.technology === 'fdm' ? rec.openMeshPenalty : rec.openMeshPenalty ** 2;
    p *= f;
    reasons?.push({ kind: 'printer', weight: f, text: 'mesh is not watertight: may need repair before slicing' });
  }
  return p;
}

export function applyPenalty(score: number, penalty: number): number {
  if (penalty >= 1) return score;
  if (penalty <= 0) return Number.NEGATIVE_INFINITY;
  return score >= 0 ? score * penalty : score / penalty;
}

export interface FilterSpec {
  category?: string;
  tag?: string;
  license?: string;
  /** Catalogue indices to drop (exclude list + seen items). */
  skip?: { has(index: number): boolean };
  printer?: PrinterRule;
}

const lc = (s: string | null): string | null => (s === null ? null : s.toLowerCase());

/** A predicate over catalogue items for the filters (case-insensitive category/license, exact tag). */
export function itemFilter(spec: FilterSpec): (item: CatalogItem) => boolean {
  const category = spec.category?.toLowerCase();
  const license = spec.license?.toLowerCase();
  const { tag, skip, printer } = spec;
  return (item) =>
    !item.removed &&
    (skip === undefined || !skip.has(item.index)) &&
    (category === undefined || lc(item.category) === category) &&
    (license === undefined || lc(item.license) === license) &&
    (tag === undefined || item.tags.includes(tag)) &&
    (printer === undefined || fitsPrinter(item, printer));
}

/** Keeps items (already in final order) while no creator / family exceeds its cap (0 = no cap). */
export class DiversityCap {
  private readonly creators = new Map<string, number>();
  private readonly families = new Map<string, number>();
  constructor(
    private readonly maxPerCreator: number,
    private readonly maxPerFamily: number,
  ) {}

  get active(): boolean {
    return this.maxPerCreator > 0 || this.maxPerFamily > 0;
  }

  /** True (and counted) when the item may be added. */
  admit(item: CatalogItem): boolean {
    const c = item.creator ?? '';
    const cc = this.creators.get(c) ?? 0;
    const fc = this.families.get(item.family) ?? 0;
    if (this.maxPerCreator > 0 && c !== '' && cc >= this.maxPerCreator) return false;
    if (this.maxPerFamily > 0 && fc >= this.maxPerFamily) return false;
    this.creators.set(c, cc + 1);
    this.families.set(item.family, fc + 1);
    return true;
  }
}

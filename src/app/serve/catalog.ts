/**
 * The in-memory catalogue the hot path reads: every servable item with dense index, metadata for filters, sorted
 * bounding-box dimensions for printer fit, printability flags for down-ranking, and the remix family. Built once
 * from the store at start-up and extended in place when items are uploaded (append-only: indices are stable).
 */
import type { Item } from '../../store/ports.js';

export interface CatalogItem {
  index: number;
  id: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  creator: string | null;
  license: string | null;
  format: string | null;
  remixOf: string | null;
  /** Id of the root of the remix chain (the item itself when it remixes nothing). */
  family: string;
  /** Bounding-box dimensions sorted ascending (mm); null when unknown (stubs). */
  dims: [number, number, number] | null;
  watertight: boolean | null;
  /** Overhang area / total area (0..1) in the part's best orientation: how much support it needs. */
  supportRatio: number;
  /** False when the report predates the orientation search: the ratio is then as stored. */
  supportOriented: boolean;
  /** Unpublished (DELETE /v1/items/:id): its index stays (indices are stable) but nothing serves it. */
  removed: boolean;
}

/** The thumbnail URL of an item (computed when answered: a million stored copies were 60 MB of strings). */
export function thumbnailUrl(id: string): string {
  return `/v1/items/${encodeURIComponent(id)}/thumbnail.png`;
}

/**
 * One copy of each repeated value: categories, creators, licences, formats and tag lists recur across a catalogue,
 * and rows read from the store carry a fresh copy of each. At 1 M items the copies were millions of heap objects —
 * memory, and work for every major collection of the server (it marks every live object).
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();

  string<T extends string | null>(s: T): T {
    if (s === null) return s;
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit as T;
    this.strings.set(s, s);
    return s;
  }

  /** A shared, frozen tag list (a catalogue entry's tags are never modified in place). */
  list(tags: string[]): string[] {
    const key = tags.join('\u0000');
    const hit = this.lists.get(key);
    if (hit !== undefined) return hit;
    const list = Object.freeze(tags.map((t) => this.string(t))) as string[];
    this.lists.set(key, list);
    return list;
  }
}

function toCatalogItem(item: Item, index: number, intern: Interner): CatalogItem {
  const r = item.report;
  const dims = r ? ([...r.bboxMm].sort((a, b) => a - b) as [number, number, number]) : null;
  return {
    index,
    id: item.id,
    title: item.title ?? titleFromPath(item.path) ?? item.id,
    description: item.description ?? '',
    category: intern.string(item.category),
    tags: intern.list(item.tags),
    creator: intern.string(item.creator),
    license: intern.string(item.license),
    format: intern.string(item.format),
    remixOf: item.remixOf,
    family: item.id,
    dims,
    watertight: r ? r.watertight : null,
    // Support need in the part's best orientation (a maker turns it over), else as stored (older reports).
    supportRatio:
      r && r.areaMm2 > 0 ? Math.min(1, (r.bestOrientation?.supportAreaMm2 ?? r.overhangAreaMm2) / r.areaMm2) : 0,
    supportOriented: Boolean(r?.bestOrientation),
    removed: item.status === 'removed',
  };
}

function titleFromPath(path: string | null): string | null {
  if (path === null) return null;
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
}

export class Catalog {
  readonly items: CatalogItem[] = [];
  private readonly byId = new Map<string, number>();
  private readonly intern = new Interner();
  /** Counts replaced entries (an upsert of a known id): what is derived per index must then be rebuilt. Appends and
   * removals leave it alone (indices are stable; removed entries stay in place, marked). */
  revision = 0;

  static from(items: Iterable<Item>): Catalog {
    const c = new Catalog();
    for (const it of items) c.upsert(it);
    c.resolveFamilies();
    return c;
  }

  get size(): number {
    return this.items.length;
  }

  index(id: string): number | undefined {
    return this.byId.get(id);
  }

  get(id: string): CatalogItem | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  /** Adds or replaces an item (an existing id keeps its index). Returns the index. */
  upsert(item: Item): number {
    const existing = this.byId.get(item.id);
    const index = existing ?? this.items.length;
    const entry = toCatalogItem(item, index, this.intern);
    if (existing === undefined) {
      this.items.push(entry);
      this.byId.set(item.id, index);
    } else {
      this.items[index] = entry;
      this.revision++;
    }
    entry.family = this.familyOf(entry);
    return index;
  }

  /**
   * Unpublishes an item: `index(id)`/`get(id)` no longer find it (so lookups answer not found) and `removed` marks
   * its entry for every scan by index (candidates, trending, shape neighbours, search). Returns its index.
   */
  remove(id: string): number | undefined {
    const index = this.byId.get(id);
    if (index === undefined) return undefined;
    this.items[index]!.removed = true;
    this.byId.delete(id);
    return index;
  }

  /** Follows remixOf links to the root (cycle-safe); unknown parents end the chain at the parent id. */
  private familyOf(entry: CatalogItem): string {
    let id = entry.id;
    let parent = entry.remixOf;
    for (let hops = 0; parent !== null && hops < 32; hops++) {
      id = parent;
      parent = this.get(parent)?.remixOf ?? null;
    }
    return id;
  }

  /** Recomputes every family after a bulk load (parents may load after their remixes). */
  resolveFamilies(): void {
    for (const e of this.items) e.family = this.familyOf(e);
  }
}

/**
 * Item services: detail (metadata + printability report + event counts), paged listing, similar items (shape
 * embeddings, behaviour from the served model, or a hybrid of both), with per-item caching of similar lists until
 * the model or catalogue changes.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { PrinterProfile } from '../../core/printability.js';
import { getPrinter } from '../../geometry/printers.js';
import type { Item, Store } from '../../store/ports.js';
import type { CatalogItem } from './catalog.js';
import { thumbnailUrl } from './catalog.js';
import { scored } from './recommendations.js';
import { fitsPrinter, printerRule } from './rules.js';
import type { ServingState } from './state.js';
import type { ItemDetail, ItemListQuery, ItemSummary, Page, Reason, SimilarBy, SimilarResponse } from './types.js';

const SIMILAR_CACHE = 5000;

export class ItemService {
  private readonly similarCache = new Map<string, { generation: number; value: SimilarResponse }>();

  constructor(
    private readonly state: ServingState,
    private readonly store: Store,
  ) {}

  summary(item: Item): ItemSummary {
    const index = this.state.catalog.index(item.id);
    return {
      id: item.id,
      title: index === undefined ? (item.title ?? item.id) : this.state.catalog.items[index]!.title,
      category: item.category,
      tags: item.tags,
      creator: item.creator,
      license: item.license,
      format: item.format,
      thumbnailUrl: thumbnailUrl(item.id),
      popularity: index === undefined ? 0 : (this.state.stats.popularity[index] ?? 0),
    };
  }

  detail(item: Item): ItemDetail {
    const index = this.state.catalog.index(item.id);
    const entry = index === undefined ? undefined : this.state.catalog.items[index];
    return {
      ...this.summary(item),
      description: item.description ?? '',
      sizeBytes: item.sizeBytes,
      createdAt: item.createdAt === null ? null : new Date(item.createdAt).toISOString(),
      remixOf: item.remixOf,
      family: entry?.family ?? item.remixOf ?? item.id,
      printability: item.report,
      stats: index === undefined ? {} : this.state.stats.typeCounts(index),
    };
  }

  async get(id: string): Promise<ItemDetail> {
    const item = await this.store.getItem(id);
    if (item === null || item.status === 'removed') throw unknownItem(id);
    return this.detail(item);
  }

  async list(q: ItemListQuery): Promise<Page<ItemSummary>> {
    if (q.printer !== undefined) return this.listFitting(q, q.printer);
    const query: Parameters<Store['listItems']>[0] = { limit: q.limit };
    if (q.cursor !== undefined) query.cursor = q.cursor;
    if (q.category !== undefined) query.category = q.category;
    if (q.tag !== undefined) query.tag = q.tag;
    if (q.query !== undefined) query.query = q.query;
    let page: Awaited<ReturnType<Store['listItems']>>;
    try {
      page = await this.store.listItems(query);
    } catch (e) {
      throw new LayerwiseError('invalid_argument', `cannot list items: ${(e as Error).message}`, { cause: e });
    }
    return { items: page.items.map((i) => this.summary(i)), nextCursor: page.nextCursor };
  }

  /**
   * Paged listing restricted to items that fit a printer: a scan of the in-memory catalogue (a few ms at 100k
   * items) from the cursor (a catalogue index), with the same text/category/tag filters as the store's listing.
   */
  private async listFitting(q: ItemListQuery, printer: string): Promise<Page<ItemSummary>> {
    let profile: PrinterProfile;
    try {
      profile = getPrinter(printer);
    } catch (e) {
      throw new LayerwiseError('invalid_argument', (e as Error).message, { cause: e });
    }
    const rule = printerRule(profile);
    const start = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isInteger(start) || start < 0) {
      throw new LayerwiseError('invalid_argument', `cursor "${q.cursor}" is not from a printer-filtered page`);
    }
    const text = q.query?.toLowerCase();
    const items = this.state.catalog.items;
    const ids: string[] = [];
    let next: string | null = null;
    for (let i = start; i < items.length; i++) {
      const it = items[i]!;
      if (it.removed || it.dims === null || !fitsPrinter(it, rule)) continue;
      if (q.category !== undefined && it.category !== q.category) continue;
      if (q.tag !== undefined && !it.tags.includes(q.tag)) continue;
      if (text !== undefined && !it.title.toLowerCase().includes(text) && !it.tags.some((t) => t.includes(text)))
        continue;
      if (ids.length === q.limit) {
        next = String(i);
        break;
      }
      ids.push(it.id);
    }
    const rows = await Promise.all(ids.map((id) => this.store.getItem(id)));
    return { items: rows.filter((r): r is Item => r !== null).map((r) => this.summary(r)), nextCursor: next };
  }

  similar(id: string, k: number, by: SimilarBy): SimilarResponse {
    const state = this.state;
    const item = state.catalog.get(id);
    if (item === undefined) throw unknownItem(id);
    const key = `${by}\u0000${k}\u0000${id}`;
    const hit = this.similarCache.get(key);
    if (hit !== undefined && hit.generation === state.generation) return hit.value;
    const value: SimilarResponse = { itemId: id, by, items: this.computeSimilar(item, k, by) };
    this.similarCache.set(key, { generation: state.generation, value });
    if (this.similarCache.size > SIMILAR_CACHE) this.similarCache.delete(this.similarCache.keys().next().value!);
    return value;
  }

  private computeSimilar(item: CatalogItem, k: number, by: SimilarBy): ReturnType<typeof scored>[] {
    const state = this.state;
    const pool = by === 'hybrid' ? 3 * k : k;
    const shape = (by === 'behaviour' ? [] : (state.shapes?.nearest(item.index, pool) ?? [])).filter(
      (h) => !state.catalog.items[h.index]?.removed,
    );
    const behaviour: { index: number; score: number }[] = [];
    const served = state.model;
    if (by !== 'shape' && served && served.modelIndex(item.index) >= 0) {
      for (const s of served.model.similarItems(item.id, pool + 1)) {
        const c = state.catalog.index(s.item);
        if (c !== undefined && c !== item.index && Number.isFinite(s.score))
          behaviour.push({ index: c, score: s.score });
      }
    }
    const combined = new Map<number, { score: number; reasons: Reason[] }>();
    const maxB = behaviour.reduce((m, b) => Math.max(m, b.score), 0) || 1;
    const wShape = by === 'hybrid' ? (behaviour.length > 0 ? 0.5 : 1) : 1;
    const wBehaviour = by === 'hybrid' ? (shape.length > 0 ? 0.5 : 1) : 1;
    for (const s of shape) {
      combined.set(s.index, {
        score: wShape * s.score,
        reasons: [
          { kind: 'shape', itemId: item.id, weight: s.score, text: `similar shape (cosine ${s.score.toFixed(2)})` },
        ],
      });
    }
    for (const b of behaviour) {
      const norm = by === 'hybrid' ? b.score / maxB : b.score;
      const e = combined.get(b.index) ?? { score: 0, reasons: [] };
      e.score += wBehaviour * norm;
      e.reasons.push({ kind: 'history', itemId: item.id, weight: b.score, text: 'printed by the same people' });
      combined.set(b.index, e);
    }
    return [...combined.entries()]
      .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
      .slice(0, k)
      .map(([index, e]) => scored(state.catalog.items[index]!, e.score, e.reasons));
  }
}

export function unknownItem(id: string): LayerwiseError {
  return new LayerwiseError('not_found', `no item with id "${id}"; list items with GET /v1/items`);
}

/**
 * Items another process added to the store while this server runs (`layerwise ingest models|items` beside
 * `layerwise serve`, a worker) join the catalogue without a restart: every poll asks the store for items changed since
 * the last look (one range query through the `updated_at` index), adds those the catalogue lacks, loads their shape
 * vectors when the serving encoder has them, and scores them by content when the served model is content-aware — so
 * a new item is searchable and recommendable within a poll interval. The cursor trails by a few seconds (clocks of
 * other machines, transactions that commit late); items already in the catalogue are skipped, so re-reads are free.
 */
import type { Item, Store } from '../../store/ports.js';
import type { ServingState } from './state.js';

/** How far the cursor trails the newest change seen, ms. */
const OVERLAP_MS = 5_000;
/** Items per store query. */
const PAGE = 1000;

export class ItemPickup {
  private since: number;
  /** Items picked up so far (for tests and /metrics). */
  added = 0;

  constructor(
    private readonly state: ServingState,
    private readonly store: Store,
    /** Changes at or after this time are looked at (the moment the catalogue was read). */
    since: number,
  ) {
    this.since = since - OVERLAP_MS;
  }

  /** One look; resolves to the number of items added. */
  async run(): Promise<number> {
    let total = 0;
    let t = this.since;
    let after: string | undefined;
    let newest = this.since;
    for (;;) {
      const page = await this.store.itemsChangedSince(t, after, PAGE);
      const fresh = page.filter((it) => it.status !== 'removed' && this.state.catalog.index(it.id) === undefined);
      if (fresh.length > 0) total += await this.add(fresh);
      const last = page.at(-1);
      if (last === undefined) break;
      newest = Math.max(newest, last.updatedAt);
      if (page.length < PAGE) break;
      t = last.updatedAt;
      after = last.id;
    }
    // the next look starts a little before the newest change seen (late commits, other machines' clocks)
    this.since = Math.max(this.since, newest - OVERLAP_MS);
    this.added += total;
    return total;
  }

  private async add(fresh: Item[]): Promise<number> {
    const indices = fresh.map((it) => this.state.addItem(it));
    const shapes = this.state.shapes;
    if (shapes !== null) {
      const vectors = await this.store.getEmbeddings(
        shapes.encoder,
        fresh.map((it) => it.id),
      );
      for (const [id, vector] of vectors) {
        const index = this.state.catalog.index(id);
        if (index !== undefined) shapes.set(index, vector);
      }
    }
    this.state.scoreNewItems(indices);
    return fresh.length;
  }
}

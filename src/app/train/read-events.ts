/**
 * The training read path: every stored event, read once as columnar chunks (`Store.scanEvents`) into an
 * `InteractionsBuilder` — typed arrays and interned ids, never one object per event — then the CSR matrix. Reports
 * progress as it goes (the caller turns it into a bar with an ETA).
 *
 * What a model learns from: the summed weight of each (user, item) pair. Negative feedback (dislike, hide, report:
 * stored with a weight < 0) counts against the positive events of its pair, and a pair whose total is ≤ 0 — a
 * dislike that outweighs the view before it — is left out, as are events on removed (unpublished) items. Users and
 * items with nothing left are not in the matrix.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Interactions } from '../../models/interactions.js';
import { InteractionsBuilder } from '../../models/interactions-builder.js';
import type { Store } from '../../store/ports.js';

export interface StageProgress {
  stage: string;
  done: number;
  /** Null when unknown. */
  total: number | null;
}

/** Ids of the removed (unpublished) items: their events stay stored until purged, but no model learns from them. */
export async function removedItemIds(store: Store): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listItems({ status: 'removed', limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) ids.add(item.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}

export async function readInteractions(
  store: Store,
  onProgress: (p: StageProgress) => void = () => {},
  /** Weights are clipped to [−maxWeight, maxWeight] (non-finite → dropped) before they are summed. */
  maxWeight = Number.POSITIVE_INFINITY,
): Promise<Interactions> {
  const total = await store.countEvents();
  if (total === 0)
    throw new LayerwiseError('not_found', 'the store has no events; ingest events first (layerwise ingest)');
  const removed = await removedItemIds(store);
  const b = new InteractionsBuilder({ negatives: true });
  let done = 0;
  for await (const chunk of store.scanEvents()) {
    const w = chunk.weights;
    for (let i = 0; i < w.length; i++) {
      const v = w[i]!;
      // NaN and events on removed items → 0, which the builder skips
      if (!(Math.abs(v) <= maxWeight)) w[i] = v > maxWeight ? maxWeight : v < -maxWeight ? -maxWeight : 0;
      if (removed.size > 0 && removed.has(chunk.items[i]!)) w[i] = 0;
    }
    b.add(chunk);
    done += chunk.users.length;
    onProgress({ stage: 'read events', done, total });
  }
  onProgress({ stage: 'build matrix', done: 0, total: 1 });
  const data = b.build();
  onProgress({ stage: 'build matrix', done: 1, total: 1 });
  return data;
}

/**
 * The training read path: every stored event, read once as columnar chunks (`Store.scanEvents`) into an
 * `InteractionsBuilder` — typed arrays and interned ids, never one object per event — then the CSR matrix. Reports
 * progress as it goes (the caller turns it into a bar with an ETA).
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

export async function readInteractions(
  store: Store,
  onProgress: (p: StageProgress) => void = () => {},
  /** Weights are clipped to [0, maxWeight] (non-finite → 0) before they are summed. */
  maxWeight = Number.POSITIVE_INFINITY,
): Promise<Interactions> {
  const total = await store.countEvents();
  if (total === 0)
    throw new LayerwiseError('not_found', 'the store has no events; ingest events first (layerwise ingest)');
  const b = new InteractionsBuilder();
  let done = 0;
  for await (const chunk of store.scanEvents()) {
    const w = chunk.weights;
    for (let i = 0; i < w.length; i++) {
      const v = w[i]!;
      if (!(v >= 0 && v <= maxWeight)) w[i] = v > maxWeight ? maxWeight : 0; // NaN and negatives → 0
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

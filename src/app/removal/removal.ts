/**
 * Removal as a use case, shared by the API and the CLI: unpublish an item (its events kept, or purged with
 * `purgeEvents`), erase a user (events, impressions, saved printer, the user row), and edit an item's metadata.
 * Each writes the store in one transaction and appends to the store's removal log; serving processes apply the log
 * to what they hold in memory (`ServingState.syncRemovals`), so a CLI removal reaches a running server within its
 * poll interval and an API removal at once. Training reads only what is left, so the next retrain forgets erased
 * users and removed items entirely.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { EraseUserResult, RemoveItemResult } from '../../store/live-ports.js';
import type { Item, ItemMetadata, Store } from '../../store/ports.js';

function notFoundItem(id: string): LayerwiseError {
  return new LayerwiseError('not_found', `no item with id "${id}"`);
}

export async function removeItem(
  store: Store,
  id: string,
  o: { purgeEvents?: boolean } = {},
): Promise<RemoveItemResult> {
  const item = await store.getItem(id);
  if (item === null || (item.status === 'removed' && !o.purgeEvents)) throw notFoundItem(id);
  return store.removeItem(id, o);
}

export async function eraseUser(store: Store, id: string): Promise<EraseUserResult> {
  const r = await store.eraseUser(id);
  if (!r.erased) throw new LayerwiseError('not_found', `no user with id "${id}"`);
  return r;
}

/** Metadata an edit may change; `undefined` keeps a field, `null` clears it (title and tags cannot be null). */
export type ItemPatch = Partial<Omit<ItemMetadata, 'createdAt'>>;

const TEXT_FIELDS = ['title', 'description', 'license', 'creator', 'category', 'remixOf'] as const;

export function checkItemPatch(patch: unknown): ItemPatch {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new LayerwiseError('invalid_argument', `an item edit must be a JSON object, got ${JSON.stringify(patch)}`);
  }
  const p = patch as Record<string, unknown>;
  const known = [...TEXT_FIELDS, 'tags'];
  for (const k of Object.keys(p)) {
    if (!known.includes(k)) {
      throw new LayerwiseError('invalid_argument', `cannot edit "${k}"; editable: ${known.join(', ')}`);
    }
  }
  const out: ItemPatch = {};
  for (const k of TEXT_FIELDS) {
    const v = p[k];
    if (v === undefined) continue;
    if (v === null && k !== 'title') out[k] = null;
    else if (typeof v === 'string' && v.length <= 10_000) out[k] = v;
    else throw new LayerwiseError('invalid_argument', `${k} must be a string${k === 'title' ? '' : ' or null'}`);
  }
  if (p.tags !== undefined) {
    if (!Array.isArray(p.tags) || !p.tags.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 100)) {
      throw new LayerwiseError('invalid_argument', 'tags must be an array of non-empty strings (≤ 100 characters)');
    }
    out.tags = [...new Set(p.tags as string[])];
  }
  if (Object.keys(out).length === 0) throw new LayerwiseError('invalid_argument', 'nothing to edit');
  return out;
}

/** Edits an item's metadata; returns the stored item. */
export async function updateItem(store: Store, id: string, patch: unknown): Promise<Item> {
  const p = checkItemPatch(patch);
  const item = await store.getItem(id);
  if (item === null || item.status === 'removed') throw notFoundItem(id);
  await store.upsertItems([{ id, ...p }]);
  const updated = await store.getItem(id);
  if (updated === null) throw notFoundItem(id);
  return updated;
}

/**
 * GET /v1/items/:id/remixes: the remix graph of the catalogue (app/features/remixes.ts), rebuilt when the catalogue
 * changes (state generation), as the tree the item page draws — ancestors parent first, remixes nested.
 */
import { RemixIndex, type RemixNode } from '../features/remixes.js';
import { unknownItem } from './items.js';
import type { ServingState } from './state.js';
import type { RemixesResponse, RemixNodeRef, RemixRef } from './types.js';

export class RemixService {
  private index: RemixIndex | undefined;
  private generation = -1;

  constructor(private readonly state: ServingState) {}

  /** The catalogue's remix index (cached until the catalogue changes). */
  graph(): RemixIndex {
    if (!this.index || this.generation !== this.state.generation) {
      this.index = RemixIndex.from(this.state.catalog.items);
      this.generation = this.state.generation;
    }
    return this.index;
  }

  tree(id: string): RemixesResponse {
    const catalog = this.state.catalog;
    if (catalog.get(id) === undefined) throw unknownItem(id);
    const ref = (itemId: string): RemixRef => {
      const it = catalog.get(itemId);
      return {
        itemId,
        title: it?.title ?? itemId,
        thumbnailUrl: it?.thumbnailUrl ?? `/v1/items/${encodeURIComponent(itemId)}/thumbnail.png`,
      };
    };
    const node = (n: RemixNode): RemixNodeRef => ({ ...ref(n.id), children: n.children.map(node) });
    const t = this.graph().tree(id);
    return {
      item: ref(id),
      ancestors: t.ancestors.map(ref),
      descendants: t.descendants.map(node),
      truncated: t.truncated,
    };
  }
}

/**
 * GET /v1/items/:id/remixes: the remix graph of the catalogue (app/features/remixes.ts), rebuilt when the catalogue
 * changes (state generation): the item's ancestors parent first, and its remixes depth-first with their parent and
 * depth (the item page draws the tree).
 */
import { RemixIndex, type RemixNode } from '../features/remixes.js';
import { thumbnailUrl } from './catalog.js';
import { unknownItem } from './items.js';
import type { ServingState } from './state.js';
import type { RemixesResponse } from './types.js';

type Ref = RemixesResponse['item'];

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
    const ref = (itemId: string): Ref => {
      const it = catalog.get(itemId);
      return {
        itemId,
        title: it?.title ?? itemId,
        thumbnailUrl: thumbnailUrl(itemId),
      };
    };
    const t = this.graph().tree(id);
    const descendants: RemixesResponse['descendants'] = [];
    const walk = (nodes: RemixNode[], parentId: string, depth: number): void => {
      for (const n of nodes) {
        descendants.push({ ...ref(n.id), parentId, depth });
        walk(n.children, n.id, depth + 1);
      }
    };
    walk(t.descendants, id, 1);
    return { item: ref(id), ancestors: t.ancestors.map(ref), descendants, truncated: t.truncated };
  }
}

/** Identifiers: content hashes for items, and a dense id map between external string ids and matrix indices. */
import { createHash } from 'node:crypto';
import { LayerwiseError } from './errors.js';

/** SHA-256 hex of some bytes: the identity of an item's file. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bidirectional map between external ids (strings) and dense indices 0..n-1. */
export class IdMap {
  private readonly toIndex = new Map<string, number>();
  private readonly ids: string[] = [];

  static from(ids: Iterable<string>): IdMap {
    const m = new IdMap();
    for (const id of ids) m.add(id);
    return m;
  }

  /** Index of `id`, adding it if new. */
  add(id: string): number {
    let i = this.toIndex.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.toIndex.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  index(id: string): number | undefined {
    return this.toIndex.get(id);
  }

  id(index: number): string {
    const v = this.ids[index];
    if (v === undefined)
      throw new LayerwiseError('invalid_argument', `IdMap: no id at index ${index} (size ${this.ids.length})`);
    return v;
  }

  has(id: string): boolean {
    return this.toIndex.has(id);
  }

  get size(): number {
    return this.ids.length;
  }

  toArray(): string[] {
    return this.ids.slice();
  }
}

/**
 * The remix graph (`remixOf` edges of the catalogue): an index of parents and children, the tree around one item
 * (its ancestors up to the original, its descendants a few levels down) for `GET /v1/items/:id/remixes`, and the
 * remix reasons of a recommendation ("a remix of X you printed", "the original of Y you printed"). Cycles in bad
 * metadata stop where they close.
 */

export interface RemixNode {
  id: string;
  children: RemixNode[];
}

export interface RemixTree {
  id: string;
  /** Nearest first: the parent, its parent, … the original. */
  ancestors: string[];
  /** Remixes of the item, each with its own remixes (depth and count bounded). */
  descendants: RemixNode[];
  /** Descendants left out by the bounds. */
  truncated: number;
}

export class RemixIndex {
  private readonly parent = new Map<string, string>();
  private readonly children = new Map<string, string[]>();

  static from(items: Iterable<{ id: string; remixOf: string | null | undefined }>): RemixIndex {
    const x = new RemixIndex();
    for (const it of items) if (it.remixOf) x.set(it.id, it.remixOf);
    return x;
  }

  /** Records (or moves) one edge: `id` is a remix of `parent`. */
  set(id: string, parent: string | null): void {
    const old = this.parent.get(id);
    if (old !== undefined) {
      const sib = this.children.get(old)!.filter((c) => c !== id);
      if (sib.length > 0) this.children.set(old, sib);
      else this.children.delete(old);
      this.parent.delete(id);
    }
    if (!parent || parent === id) return;
    this.parent.set(id, parent);
    const list = this.children.get(parent);
    if (list) list.push(id);
    else this.children.set(parent, [id]);
  }

  parentOf(id: string): string | undefined {
    return this.parent.get(id);
  }

  childrenOf(id: string): readonly string[] {
    return this.children.get(id) ?? [];
  }

  /** Ancestors nearest first (stops at a cycle or after `max`). */
  ancestors(id: string, max = 32): string[] {
    const out: string[] = [];
    const seen = new Set([id]);
    for (let p = this.parent.get(id); p !== undefined && !seen.has(p) && out.length < max; p = this.parent.get(p)) {
      out.push(p);
      seen.add(p);
    }
    return out;
  }

  tree(id: string, o: { maxDepth?: number; maxNodes?: number } = {}): RemixTree {
    const maxDepth = o.maxDepth ?? 3;
    let budget = o.maxNodes ?? 50;
    let truncated = 0;
    const seen = new Set([id, ...this.ancestors(id)]);
    const count = (n: string): number => {
      let c = 0;
      for (const k of this.childrenOf(n)) if (!seen.has(k)) c += 1 + count(k);
      return c;
    };
    const walk = (n: string, depth: number): RemixNode[] => {
      const out: RemixNode[] = [];
      for (const c of this.childrenOf(n)) {
        if (seen.has(c)) continue;
        if (depth >= maxDepth || budget <= 0) {
          truncated += 1 + count(c);
          continue;
        }
        seen.add(c);
        budget--;
        out.push({ id: c, children: walk(c, depth + 1) });
      }
      return out;
    };
    return { id, ancestors: this.ancestors(id), descendants: walk(id, 0), truncated };
  }

  /**
   * The remix link between a candidate and a user's history, strongest first: the candidate remixes a history item
   * ('remix-of'), or a history item remixes the candidate ('original-of'). `history` holds item ids.
   */
  link(
    candidate: string,
    history: ReadonlySet<string>,
  ): { kind: 'remix-of' | 'original-of'; item: string } | undefined {
    const p = this.parent.get(candidate);
    if (p !== undefined && history.has(p)) return { kind: 'remix-of', item: p };
    for (const c of this.childrenOf(candidate)) if (history.has(c)) return { kind: 'original-of', item: c };
    return undefined;
  }
}

/**
 * Implicit-feedback interaction data built from events: a users × items CSR of confidences with id maps and, when
 * events carry times, the latest time of each (user, item) pair. Event types are weighted (view < like < download <
 * make); ratings are turned into positives by a threshold or all kept; counts (plays) can be kept as confidence.
 */
import { createHash } from 'node:crypto';
import { LayerwiseError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { type Csr, csrFromTriplets, entryPosition, rowIndices, rowValues, transpose } from './sparse.js';

/** One user–item event. `type` is an event kind (view, like, download, make); `value` a rating or a count. */
export interface InteractionEvent {
  user: string;
  item: string;
  type?: string;
  value?: number;
  /** Seconds since the epoch (any monotone unit works for temporal splits). */
  timestamp?: number;
}

/** Default weight per event type: view < like < download < make. */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<string, number>> = { view: 1, like: 2, download: 4, make: 8 };

export interface InteractionOptions {
  /** Weight per event type (events with a type). Unknown types are an error. Default DEFAULT_EVENT_WEIGHTS. */
  eventWeights?: Readonly<Record<string, number>>;
  /**
   * Events without a type carry a `value`: 'all' keeps every one as a positive of weight 1 (ratings all relevant),
   * 'threshold' keeps value ≥ threshold as weight 1, 'value' uses the value itself (play counts). Default 'all'.
   */
  values?: 'all' | 'threshold' | 'value';
  threshold?: number;
  /** How repeated (user, item) events combine. Default 'sum'. */
  combine?: 'sum' | 'max';
  /** Transform of the combined weight: raw, binary (1), or log1p. Default 'raw'. */
  transform?: 'raw' | 'binary' | 'log1p';
}

/** Users × items interactions; ids map rows/columns to external ids. Immutable. */
export class Interactions {
  private cscCache: Csr | undefined;
  constructor(
    readonly users: IdMap,
    readonly items: IdMap,
    readonly matrix: Csr,
    /** Latest event time of each stored entry (aligned with matrix.values), when known. */
    readonly times?: Float64Array,
  ) {
    if (matrix.rows !== users.size || matrix.cols !== items.size) {
      throw new LayerwiseError(
        'invalid_argument',
        `Interactions: matrix is ${matrix.rows}×${matrix.cols} but there are ${users.size} users and ${items.size} items`,
      );
    }
  }

  get nUsers(): number {
    return this.matrix.rows;
  }
  get nItems(): number {
    return this.matrix.cols;
  }
  get nnz(): number {
    return this.matrix.indices.length;
  }

  /** Items × users view (cached). */
  byItem(): Csr {
    this.cscCache ??= transpose(this.matrix);
    return this.cscCache;
  }

  rowItems(u: number): Int32Array {
    return rowIndices(this.matrix, u);
  }
  rowWeights(u: number): Float32Array {
    return rowValues(this.matrix, u);
  }

  /** Same users and items, another matrix (e.g. a training split). */
  withMatrix(matrix: Csr, times?: Float64Array): Interactions {
    return new Interactions(this.users, this.items, matrix, times);
  }

  /** A short hash of the ids and the matrix: tells whether a model was trained on this data. */
  fingerprint(): string {
    const h = createHash('sha256');
    h.update(`${this.nUsers}x${this.nItems}:${this.nnz}\n`);
    h.update(this.users.toArray().join('\u0001'));
    h.update('\u0002');
    h.update(this.items.toArray().join('\u0001'));
    h.update(new Uint8Array(this.matrix.indptr.buffer, this.matrix.indptr.byteOffset, this.matrix.indptr.byteLength));
    h.update(
      new Uint8Array(this.matrix.indices.buffer, this.matrix.indices.byteOffset, this.matrix.indices.byteLength),
    );
    h.update(new Uint8Array(this.matrix.values.buffer, this.matrix.values.byteOffset, this.matrix.values.byteLength));
    return h.digest('hex').slice(0, 16);
  }

  /** Builds interactions from events; events dropped by a threshold are counted in `dropped`. */
  static fromEvents(
    events: Iterable<InteractionEvent>,
    options: InteractionOptions = {},
  ): { data: Interactions; dropped: number } {
    const weights = options.eventWeights ?? DEFAULT_EVENT_WEIGHTS;
    const mode = options.values ?? 'all';
    if (mode === 'threshold' && options.threshold === undefined) {
      throw new LayerwiseError('invalid_argument', "values: 'threshold' needs a threshold (e.g. 4 for 1–5 ratings)");
    }
    const users = new IdMap();
    const items = new IdMap();
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    const t: number[] = [];
    let dropped = 0;
    let timed = true;
    for (const e of events) {
      let w: number;
      if (e.type !== undefined) {
        const tw = weights[e.type];
        if (tw === undefined) {
          throw new LayerwiseError(
            'invalid_argument',
            `unknown event type '${e.type}'; known: ${Object.keys(weights).join(', ')} (pass eventWeights to add it)`,
          );
        }
        w = tw;
      } else if (mode === 'all') w = 1;
      else if (mode === 'threshold') {
        if (!(e.value !== undefined && e.value >= options.threshold!)) {
          dropped++;
          continue;
        }
        w = 1;
      } else {
        if (e.value === undefined || !Number.isFinite(e.value)) {
          throw new LayerwiseError('invalid_argument', `event for user ${e.user}, item ${e.item} has no numeric value`);
        }
        w = e.value;
      }
      if (!(w > 0)) {
        dropped++;
        continue;
      }
      r.push(users.add(e.user));
      c.push(items.add(e.item));
      v.push(w);
      if (e.timestamp === undefined) timed = false;
      t.push(e.timestamp ?? 0);
    }
    const combine = options.combine ?? 'sum';
    let m = csrFromTriplets(users.size, items.size, r, c, v, combine);
    const transform = options.transform ?? 'raw';
    if (transform !== 'raw') {
      const vals = m.values.map((x) => (transform === 'binary' ? 1 : Math.log1p(x)));
      m = { ...m, values: vals };
    }
    let times: Float64Array | undefined;
    if (timed && r.length > 0) {
      times = new Float64Array(m.indices.length).fill(Number.NEGATIVE_INFINITY);
      for (let e = 0; e < r.length; e++) {
        const p = entryPosition(m, r[e]!, c[e]!);
        if (t[e]! > times[p]!) times[p] = t[e]!;
      }
    }
    return { data: new Interactions(users, items, m, times), dropped };
  }
}

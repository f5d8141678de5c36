/**
 * The parsing half of `ingest events`: an event file → batches of `EventBatch` columns (per-batch string tables of
 * user and item ids, typed arrays for the rest) plus the line number of every row and the bad rows. The same
 * generator runs on a worker thread (event-worker.ts: the batches' typed arrays are transferred to the inserting
 * thread, so parsing and inserting overlap on two cores) or in-thread where no compiled worker file exists.
 */
import { createEventCodec, type EventCodecOptions, type EventFormat } from '../../io/events.js';
import { EVENT_TYPES, type EventBatch } from '../../store/ports.js';
import { readLineBatches } from './lines.js';

export interface ParseBatchOptions extends EventCodecOptions {
  format: EventFormat;
  batchSize: number;
  /** Bad rows listed in full (over the whole file); the rest are only counted in `failed`. */
  maxErrors: number;
}

export interface ParsedBatch {
  events: EventBatch;
  /** 1-based file line of each row of `events`. */
  lines: Int32Array;
  /** Data rows read since the previous batch (good and bad). */
  scanned: number;
  /** Bad rows since the previous batch. */
  failed: number;
  errors: { line: number; code: string; message: string }[];
  /** Bytes of the file consumed so far. */
  bytes: number;
}

const TYPE_INDEX = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

class BatchBuilder {
  n = 0;
  scanned = 0;
  failed = 0;
  errors: ParsedBatch['errors'] = [];
  private users = new Map<string, number>();
  private items = new Map<string, number>();
  private userIds: string[] = [];
  private itemIds: string[] = [];
  private user: Int32Array;
  private item: Int32Array;
  private type: Uint8Array;
  private weight: Float64Array;
  private value: Float64Array;
  private ts: Float64Array;
  private lines: Int32Array;

  constructor(private readonly size: number) {
    this.user = new Int32Array(size);
    this.item = new Int32Array(size);
    this.type = new Uint8Array(size);
    this.weight = new Float64Array(size);
    this.value = new Float64Array(size);
    this.ts = new Float64Array(size);
    this.lines = new Int32Array(size);
  }

  get full(): boolean {
    return this.n >= this.size;
  }

  add(userId: string, itemId: string, type: string, weight: number, value: number | null, ts: number, line: number) {
    let u = this.users.get(userId);
    if (u === undefined) {
      u = this.userIds.push(userId) - 1;
      this.users.set(userId, u);
    }
    let it = this.items.get(itemId);
    if (it === undefined) {
      it = this.itemIds.push(itemId) - 1;
      this.items.set(itemId, it);
    }
    const i = this.n++;
    this.user[i] = u;
    this.item[i] = it;
    this.type[i] = TYPE_INDEX.get(type)!;
    this.weight[i] = weight;
    this.value[i] = value ?? Number.NaN;
    this.ts[i] = ts;
    this.lines[i] = line;
  }

  take(bytes: number): ParsedBatch {
    const n = this.n;
    const events: EventBatch = {
      length: n,
      userIds: this.userIds,
      user: this.user.slice(0, n),
      itemIds: this.itemIds,
      item: this.item.slice(0, n),
      type: this.type.slice(0, n),
      weight: this.weight.slice(0, n),
      value: this.value.slice(0, n),
      timestamp: this.ts.slice(0, n),
    };
    const out: ParsedBatch = {
      events,
      lines: this.lines.slice(0, n),
      scanned: this.scanned,
      failed: this.failed,
      errors: this.errors,
      bytes,
    };
    this.n = 0;
    this.scanned = 0;
    this.failed = 0;
    this.errors = [];
    this.users = new Map();
    this.items = new Map();
    this.userIds = [];
    this.itemIds = [];
    return out;
  }
}

/** Parses `file` into batches of at most `batchSize` rows; the last batch may be empty (it carries the tail counts). */
export async function* parseEventBatches(file: string, o: ParseBatchOptions): AsyncGenerator<ParsedBatch> {
  const codec = createEventCodec(o.format, o);
  const size = Math.max(1, o.batchSize);
  const b = new BatchBuilder(size);
  let listed = 0;
  let bytes = 0;
  for await (const chunk of readLineBatches(file)) {
    for (let i = 0; i < chunk.lines.length; i++) {
      const lineNo = chunk.firstLine + i;
      const r = codec(chunk.lines[i]!, lineNo);
      if (r.kind === 'skip') continue;
      b.scanned++;
      if (r.kind === 'error') {
        b.failed++;
        if (listed++ < o.maxErrors) b.errors.push({ line: lineNo, code: r.error.code, message: r.error.message });
        continue;
      }
      const e = r.event;
      b.add(e.userId, e.itemId, e.type, e.weight, e.value, e.timestamp, lineNo);
      if (b.full) yield b.take(bytes);
    }
    bytes = chunk.bytes;
  }
  yield b.take(bytes);
}

/** The typed arrays of a batch, for a transfer list. */
export function batchBuffers(p: ParsedBatch): ArrayBuffer[] {
  const e = p.events;
  return [e.user, e.item, e.type, e.weight, e.value, e.timestamp, p.lines].map((a) => a.buffer as ArrayBuffer);
}

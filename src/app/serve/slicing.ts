/**
 * `POST /v1/items/:id/slice` (admin): slices an item with PrusaSlicer for a built-in FDM printer and returns its
 * G-code statistics. Off unless the server config enables it. The slicer runs as a child process with the
 * configured time limit (app/inspect/slicer.ts), at most `concurrency` at once (more wait; beyond `maxWaiting` the
 * answer is 503), and two requests for the same item, printer and orientation share one run. Results are kept in
 * the store per item, printer and orientation with the key of what they were made from (file hash, the profile's
 * PrusaSlicer settings, the rotation), so they survive restarts and a changed file or profile is sliced again.
 */

import type { SliceQuery, SliceResult } from '../../contract/index.js';
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { PrinterProfile } from '../../core/printability.js';
import { rotatePositions } from '../../geometry/orientation.js';
import { fdmSettingsFor } from '../../geometry/print-settings.js';
import { toPrusaIni } from '../../geometry/printer-ini.js';
import { getPrinter } from '../../geometry/printers.js';
import type { Item, Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { type SliceResult as Sliced, type SliceOptions, sliceMesh } from '../inspect/slicer.js';
import type { FileService } from './files.js';
import { unknownItem } from './items.js';

/** What is stored per result (the response less `cached`). */
type Stored = Omit<SliceResult, 'cached'>;

export type Slicer = typeof sliceMesh;

export class SliceService {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly inflight = new Map<string, Promise<Stored>>();

  constructor(
    private readonly store: Store,
    private readonly files: FileService,
    private readonly config: ServerConfig['slicer'],
    private readonly slicer: Slicer = sliceMesh,
  ) {}

  async slice(id: string, query: SliceQuery): Promise<SliceResult> {
    if (!this.config.enabled) {
      throw new LayerwiseError(
        'forbidden',
        'slicing is disabled on this server: an operator enables it with LAYERWISE_SLICER=prusa-slicer (or ' +
          '`slicer: { enabled: true }` in the server config) where PrusaSlicer is installed',
        { details: { reason: 'slicer_disabled' } },
      );
    }
    const printer = fdmPrinter(query.printer);
    const item = await this.store.getItem(id);
    if (item === null || item.status === 'removed') throw unknownItem(id);
    if (item.status !== 'ready' || item.fileHash === null || item.report === null) {
      throw new LayerwiseError('not_found', `item "${id}" has no mesh file to slice`);
    }
    const rotation = query.orientation === 'best' ? item.report.bestOrientation?.rotation : undefined;
    if (query.orientation === 'best' && rotation === undefined) {
      throw new LayerwiseError(
        'invalid_argument',
        `item "${id}" has no best orientation in its report (analysed before the orientation search): slice it ` +
          'as stored, or re-ingest it',
      );
    }
    const ini = toPrusaIni(printer, fdmSettingsFor(printer));
    const sourceKey = contentHash(new TextEncoder().encode(`${item.fileHash}\n${rotation?.join(',') ?? ''}\n${ini}`));
    const cached = await this.store.getSliceResult(id, printer.id, query.orientation);
    if (cached !== null && cached.sourceKey === sourceKey) return { ...(cached.result as Stored), cached: true };

    const key = `${id}\u0000${printer.id}\u0000${query.orientation}`;
    let run = this.inflight.get(key);
    if (run === undefined) {
      run = this.run(item, printer, query.orientation, rotation, sourceKey).finally(() => this.inflight.delete(key));
      this.inflight.set(key, run);
    }
    return { ...(await run), cached: false };
  }

  private async run(
    item: Item,
    printer: PrinterProfile,
    orientation: SliceQuery['orientation'],
    rotation: number[] | undefined,
    sourceKey: string,
  ): Promise<Stored> {
    await this.acquire();
    try {
      const mesh = await this.files.mesh(item);
      const positions = rotation ? rotatePositions(mesh.positions, rotation) : mesh.positions;
      const options: SliceOptions = { slicer: this.config.command, timeoutMs: this.config.timeMs };
      let s: Sliced;
      try {
        s = await this.slicer({ positions, indices: mesh.indices }, printer, options);
      } catch (e) {
        throw serverWords(e, this.config.command);
      }
      const result: Stored = {
        itemId: item.id,
        printer: printer.id,
        orientation,
        slicer: s.slicer,
        printSeconds: s.printSeconds,
        filamentMm: s.filamentMm,
        filamentCm3: s.filamentCm3,
        filamentG: s.filamentG,
        layers: s.layers,
        sliceSeconds: s.sliceSeconds,
        slicedAt: new Date().toISOString(),
      };
      await this.store.putSliceResult({
        itemId: item.id,
        printer: printer.id,
        orientation,
        sourceKey,
        result,
        createdAt: Date.now(),
      });
      return result;
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.config.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.config.maxWaiting) {
      throw new LayerwiseError(
        'unavailable',
        `the slicer is busy (${this.running} running, ${this.queue.length} waiting): try again later`,
        { details: { reason: 'slicer_busy' } },
      );
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}

/** A built-in FDM printer, or 400 naming what is wrong. */
function fdmPrinter(id: string): PrinterProfile {
  let p: PrinterProfile;
  try {
    p = getPrinter(id);
  } catch (e) {
    throw new LayerwiseError('invalid_argument', (e as Error).message, { cause: e });
  }
  if (p.technology !== 'fdm') {
    throw new LayerwiseError('invalid_argument', `slicing is for FDM printers; ${p.id} is a resin printer`);
  }
  return p;
}

/** A missing slicer is the operator's to fix: say so in the server's own terms. */
function serverWords(e: unknown, command: string): unknown {
  if (e instanceof LayerwiseError && e.details.reason === 'slicer_missing') {
    return new LayerwiseError(
      'unavailable',
      `slicing is enabled but the slicer "${command}" is not installed on this server: install PrusaSlicer ` +
        '(apt-get install prusa-slicer) or point LAYERWISE_SLICER at it',
      { cause: e, details: e.details },
    );
  }
  return e;
}

/**
 * Collects non-fatal oddities while parsing, aggregated by code (first message kept, occurrences counted), so a
 * file with a million degenerate faces yields one warning with `count: 1000000` — never console output.
 */
import type { MeshWarning } from '../core/mesh.js';

export class WarningSink {
  private readonly byCode = new Map<string, MeshWarning & { count: number }>();

  /** Records `times` occurrences of `code`; `message` describes the first one. */
  add(code: string, message: string, times = 1): void {
    if (times <= 0) return;
    const w = this.byCode.get(code);
    if (w) w.count += times;
    else this.byCode.set(code, { code, message, count: times });
  }

  get size(): number {
    return this.byCode.size;
  }

  list(): MeshWarning[] {
    return [...this.byCode.values()].map((w) => ({ ...w }));
  }
}

/**
 * The one error type of layerwise. Every failure carries a machine-readable `code`; the API maps codes to HTTP
 * statuses in one place and the CLI prints `code: message`. Messages say what was received and how to fix it.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'parse_error'
  | 'unsupported'
  | 'limit_exceeded'
  | 'conflict'
  | 'fit_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable'
  | 'io_error'
  | 'internal';

export interface ErrorDetails {
  /** Byte offset into the input where a parse failed. */
  offset?: number;
  /** 1-based line number where a text parse failed. */
  line?: number;
  [key: string]: unknown;
}

export class LayerwiseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LayerwiseError';
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return Object.keys(this.details).length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isLayerwiseError(e: unknown): e is LayerwiseError {
  return e instanceof LayerwiseError;
}

/** Wraps any thrown value into a LayerwiseError (unknown errors become `internal`). */
export function toLayerwiseError(e: unknown, fallback: ErrorCode = 'internal'): LayerwiseError {
  if (e instanceof LayerwiseError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new LayerwiseError(fallback, message, { cause: e });
}

/** A result type for `safeX` functions: one implementation, two call styles. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: LayerwiseError };

export function safely<T>(fn: () => T, fallback: ErrorCode = 'internal'): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: toLayerwiseError(e, fallback) };
  }
}

export function invariant(condition: unknown, code: ErrorCode, message: string): asserts condition {
  if (!condition) throw new LayerwiseError(code, message);
}

/**
 * The default sink for failures of background work (event sync, cache warm-up, checkpoint loads): never swallowed,
 * one line on stderr naming what failed and the error's code. Services take a sink option to route it elsewhere.
 */
export function reportBackgroundError(message: string, e: unknown): void {
  const err = toLayerwiseError(e);
  console.error(`layerwise: ${message}: ${err.code}: ${err.message}`);
}

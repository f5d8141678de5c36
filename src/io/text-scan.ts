/**
 * A whitespace tokenizer over decoded text for the text parsers (ASCII STL, OBJ, PLY, OFF). Tokens are (start, end)
 * character ranges; numbers are read with `Number()` and must be finite. Errors carry the 1-based line and offset.
 */
import { LayerwiseError } from '../core/errors.js';
import { parseNumberAt } from './fast-number.js';

const NL = 10;

/** True for ASCII whitespace and control characters (everything up to the space character). */
function isSpace(c: number): boolean {
  return c <= 32;
}

export class TextScanner {
  pos = 0;
  start = 0;
  end = 0;
  readonly length: number;

  constructor(
    readonly text: string,
    readonly what: string,
  ) {
    this.length = text.length;
  }

  /** Moves to the next token anywhere (crossing lines); false at the end of the text. */
  next(): boolean {
    const s = this.text;
    let i = this.pos;
    while (i < this.length && isSpace(s.charCodeAt(i))) i++;
    if (i >= this.length) {
      this.pos = this.start = this.end = i;
      return false;
    }
    this.start = i;
    while (i < this.length && !isSpace(s.charCodeAt(i))) i++;
    this.end = this.pos = i;
    return true;
  }

  /** Moves to the next token on the current line only; false at the line end (position stays before the newline). */
  nextOnLine(): boolean {
    const s = this.text;
    let i = this.pos;
    let c = 0;
    while (i < this.length && (c = s.charCodeAt(i)) !== NL && isSpace(c)) i++;
    if (i >= this.length || c === NL) {
      this.pos = i;
      return false;
    }
    this.start = i;
    while (i < this.length && !isSpace(s.charCodeAt(i))) i++;
    this.end = this.pos = i;
    return true;
  }

  /** The rest of the current line (trimmed); the position moves past the newline. */
  restOfLine(): string {
    let e = this.text.indexOf('\n', this.pos);
    if (e < 0) e = this.length;
    const r = this.text.slice(this.pos, e).trim();
    this.pos = Math.min(e + 1, this.length);
    return r;
  }

  /** Skips to the start of the next line. */
  skipLine(): void {
    const e = this.text.indexOf('\n', this.pos);
    this.pos = e < 0 ? this.length : e + 1;
  }

  token(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Current token compared case-insensitively with a lower-case keyword. */
  is(keyword: string): boolean {
    if (this.end - this.start !== keyword.length) return false;
    const s = this.text;
    for (let k = 0; k < keyword.length; k++) {
      if ((s.charCodeAt(this.start + k) | 32) !== keyword.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The current token as a finite number, or NaN. */
  tokenNumber(): number {
    const v = parseNumberAt(this.text, this.start, this.end);
    return v - v === 0 ? v : Number.NaN;
  }

  /** Reads the next token (crossing lines when `sameLine` is false) as a finite number or throws `parse_error`. */
  number(what: string, sameLine = false): number {
    if (!(sameLine ? this.nextOnLine() : this.next())) throw this.error(`expected ${what} but the line or file ended`);
    const v = this.tokenNumber();
    if (Number.isNaN(v)) throw this.error(`expected ${what} but found "${this.token().slice(0, 40)}"`);
    return v;
  }

  /** Reads the next token as a non-negative integer or throws `parse_error`. */
  integer(what: string, sameLine = false): number {
    const v = this.number(what, sameLine);
    if (!Number.isInteger(v) || v < 0) throw this.error(`expected ${what} (a non-negative integer) but found ${v}`);
    return v;
  }

  /** 1-based line number of a character offset. */
  lineAt(offset: number): number {
    let line = 1;
    const s = this.text;
    for (let i = s.indexOf('\n'); i >= 0 && i < offset; i = s.indexOf('\n', i + 1)) line++;
    return line;
  }

  /** A `parse_error` pointing at the current token. */
  error(message: string, at = this.start): LayerwiseError {
    const line = this.lineAt(at);
    return new LayerwiseError('parse_error', `${this.what}: ${message} (line ${line})`, {
      details: { line, offset: at },
    });
  }
}

/** Decodes bytes as UTF-8 text (invalid sequences become U+FFFD; a leading BOM is dropped). */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** True when the first `n` bytes look like text (no NUL or control bytes other than tab, CR, LF, FF). */
export function looksLikeText(bytes: Uint8Array, n = 1024): boolean {
  const end = Math.min(bytes.length, n);
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) return false;
  }
  return true;
}

/** Index of the first byte that is not ASCII whitespace (skipping a UTF-8 BOM). */
export function firstNonSpace(bytes: Uint8Array, from = 0): number {
  let i = from;
  if (i === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && bytes[i]! <= 32) i++;
  return i;
}

/** Case-insensitive comparison of `bytes[at..]` with an ASCII lower-case word. */
export function startsWithWord(bytes: Uint8Array, at: number, word: string): boolean {
  if (at + word.length > bytes.length) return false;
  for (let k = 0; k < word.length; k++) if ((bytes[at + k]! | 32) !== word.charCodeAt(k)) return false;
  return true;
}

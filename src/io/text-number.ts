/**
 * Number formatting shared by the text writers: the shortest decimal that reads back to the same float32, so that
 * writing a mesh as text and parsing it again gives identical `Float32Array` positions.
 */

/** Formats a float32 value with at most 9 significant digits (enough to round-trip any float32). */
export function formatFloat32(v: number): string {
  if (Number.isInteger(v)) return String(v === 0 ? 0 : v);
  return trimZeros(Math.fround(v).toPrecision(9));
}

/** Formats a double with at most 9 significant digits (used for unit-converted coordinates). */
export function formatDouble9(v: number): string {
  if (Number.isInteger(v)) return String(v === 0 ? 0 : v);
  return trimZeros(v.toPrecision(9));
}

/** Drops trailing zeros of the fraction ("0.500000000" → "0.5", "1.50000000e-7" → "1.5e-7"). */
function trimZeros(s: string): string {
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  if (mantissa.indexOf('.') < 0) return s;
  let end = mantissa.length;
  while (mantissa.charCodeAt(end - 1) === 48) end--;
  if (mantissa.charCodeAt(end - 1) === 46) end--;
  return e < 0 ? mantissa.slice(0, end) : mantissa.slice(0, end) + s.slice(e);
}

/** Escapes a string for use inside an XML attribute value. */
export function escapeXmlAttr(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Keeps a name usable on one text line (STL `solid`, OBJ `o`): no line breaks, trimmed. */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').trim();
}

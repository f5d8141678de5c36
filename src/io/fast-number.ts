/**
 * Decimal text → number without allocating a substring, for the text parsers' hot loops. Exact: the fast path is
 * taken only when the significand has at most 15 digits and the power of ten at most 22, where one IEEE
 * multiplication or division of two exact doubles is correctly rounded (Clinger 1990, "How to read floating point
 * numbers accurately"); everything else falls back to `Number()`, so results always equal `Number(text)`.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** `Number(s.slice(start, end))`, or NaN for an empty range. */
export function parseNumberAt(s: string, start: number, end: number): number {
  let i = start;
  let c = s.charCodeAt(i);
  const neg = c === 45;
  if (neg || c === 43) c = s.charCodeAt(++i);
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  while (c >= 48 && c <= 57) {
    if (sig < 15) {
      mant = mant * 10 + (c - 48);
      if (mant !== 0) sig++;
    } else exp++;
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      if (sig < 15) {
        mant = mant * 10 + (c - 48);
        if (mant !== 0) sig++;
        exp--;
      }
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return Number(s.slice(start, end));
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    const eneg = c === 45;
    if (eneg || c === 43) c = s.charCodeAt(++i);
    let e = 0;
    let edigits = 0;
    while (c >= 48 && c <= 57 && e < 10000) {
      e = e * 10 + (c - 48);
      edigits++;
      c = s.charCodeAt(++i);
    }
    if (edigits === 0) return Number(s.slice(start, end));
    exp += eneg ? -e : e;
  }
  if (i !== end || sig >= 15) return Number(s.slice(start, end));
  let v: number;
  if (exp === 0) v = mant;
  else if (exp > 0 && exp <= 22) v = mant * POW10[exp]!;
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp]!;
  else return Number(s.slice(start, end));
  return neg ? -v : v;
}

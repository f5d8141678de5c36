/** Small helpers for query-string values shared by routes. */

/** Flattens repeated and comma-separated values: `?x=a,b&x=c` → ['a', 'b', 'c'] (blanks dropped). */
export function csvList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const t = part.trim();
      if (t !== '') out.push(t);
    }
  }
  return out;
}

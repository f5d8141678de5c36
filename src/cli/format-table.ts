/** Plain-text table and number formatting for CLI output (no colours, no terminal width tricks). */

export interface Column {
  header: string;
  /** Numbers read best right-aligned (default 'left'). */
  align?: 'left' | 'right';
}

const width = (s: string): number => [...s].length;

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Columns separated by two spaces, a dashed rule under the header; trailing spaces trimmed. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i]!, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return `${out.join('\n')}\n`;
}

/** Fixed decimals with thousands separators: formatNumber(12345.678, 1) = "12,345.7". */
export function formatNumber(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Minutes as "45 min" or "3 h 05 min". */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return String(minutes);
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Rounds to `decimals` places for JSON output (keeps integers as they are). */
export function roundTo(x: number, decimals = 3): number {
  const k = 10 ** decimals;
  return Math.round(x * k) / k;
}

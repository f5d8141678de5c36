/** A 5×7 pixel font (capital letters and a few symbols) for raised lettering on name plates. */

/** Seven rows per glyph, each a 5-bit mask (bit 4 = leftmost column). */
const FONT: Record<string, readonly number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
  '-': [0, 0, 0, 31, 0, 0, 0],
  '.': [0, 0, 0, 0, 0, 12, 12],
};

/**
 * Filled pixel cells of `text` (unknown characters become blanks): [column, row] with row 0 at the bottom, on a grid
 * of 6 columns per character (5 + 1 spacing).
 */
export function glyphCells(text: string): [number, number][] {
  const cells: [number, number][] = [];
  [...text.toUpperCase()].forEach((ch, i) => {
    const rows = FONT[ch];
    if (!rows) return;
    rows.forEach((mask, r) => {
      for (let c = 0; c < 5; c++) if (mask & (1 << (4 - c))) cells.push([i * 6 + c, 6 - r]);
    });
  });
  return cells;
}

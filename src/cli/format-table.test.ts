import { describe, expect, it } from 'vitest';
import { formatMinutes, formatNumber, formatTable, roundTo } from './format-table.js';

describe('format-table', () => {
  it('pads columns, right-aligns numbers and trims line ends', () => {
    const text = formatTable(
      [{ header: 'file' }, { header: 'n', align: 'right' }, { header: 'note' }],
      [
        ['a.stl', '12', ''],
        ['long-name.stl', '3', 'x'],
      ],
    );
    expect(text).toBe(
      ['file            n  note', '-------------  --  ----', 'a.stl          12', 'long-name.stl   3  x', ''].join(
        '\n',
      ),
    );
  });

  it('formats numbers and durations', () => {
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
    expect(formatNumber(0.004, 2)).toBe('0.00');
    expect(formatMinutes(0.4)).toBe('0 min');
    expect(formatMinutes(59.4)).toBe('59 min');
    expect(formatMinutes(125)).toBe('2 h 05 min');
    expect(roundTo(1.23456, 3)).toBe(1.235);
  });
});

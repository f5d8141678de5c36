import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { getPrinter, PRINTERS, parsePrinterProfile, printerIds } from './printers.js';

function errorOf(fn: () => unknown): LayerwiseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LayerwiseError) return e;
    throw e;
  }
  throw new Error('expected a LayerwiseError');
}

describe('printer profiles', () => {
  it('has the required built-ins with real build volumes and kebab-case ids', () => {
    for (const id of ['prusa-mk4', 'prusa-mini', 'prusa-xl', 'bambu-x1', 'bambu-a1-mini', 'ender-3', 'voron-2.4-350']) {
      expect(printerIds()).toContain(id);
    }
    expect(getPrinter('prusa-mk4').buildVolumeMm).toEqual([250, 210, 220]);
    expect(getPrinter('Ender-3').buildVolumeMm).toEqual([220, 220, 250]);
    expect(getPrinter('elegoo-mars').technology).toBe('resin');
    expect(getPrinter('anycubic-photon-m3').technology).toBe('resin');
    for (const p of PRINTERS) expect(parsePrinterProfile(p)).toEqual(p); // built-ins pass their own schema
  });

  it('unknown id: not_found listing the valid ids', () => {
    const e = errorOf(() => getPrinter('prusa-mk9'));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('prusa-mk9');
    expect(e.message).toContain('prusa-mk4');
    expect(e.message).toContain('elegoo-mars');
  });

  it('getPrinter returns a copy', () => {
    getPrinter('voron-0').buildVolumeMm[0] = 1;
    expect(getPrinter('voron-0').buildVolumeMm[0]).toBe(120);
  });

  it('parses a valid custom profile', () => {
    const p = parsePrinterProfile({
      id: 'my-delta',
      name: 'My Delta',
      technology: 'fdm',
      buildVolumeMm: [180, 180, 300],
      flowMm3PerS: 9,
    });
    expect(p).toEqual({
      id: 'my-delta',
      name: 'My Delta',
      technology: 'fdm',
      buildVolumeMm: [180, 180, 300],
      flowMm3PerS: 9,
    });
  });

  it.each([
    [{ id: 'x', name: 'X', technology: 'fdm' }, 'buildVolumeMm'],
    [{ id: 'x', name: 'X', technology: 'fdm', buildVolumeMm: [100, -1, 100] }, 'buildVolumeMm.1'],
    [{ id: 'x', name: 'X', technology: 'laser', buildVolumeMm: [1, 1, 1] }, 'technology'],
    [{ id: 'My Printer', name: 'X', technology: 'fdm', buildVolumeMm: [1, 1, 1] }, 'kebab-case'],
    [{ id: 'x', name: 'X', technology: 'fdm', buildVolumeMm: [1, 1, 1], speed: 3 }, 'speed'],
    ['prusa', '(root)'],
  ])('rejects %j with invalid_argument naming %s', (json, fragment) => {
    const e = errorOf(() => parsePrinterProfile(json));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain(fragment);
  });
});

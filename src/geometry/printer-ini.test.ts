import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { fdmSettingsFor, minFeatureMm } from './print-settings.js';
import { parsePrusaIni } from './printer-ini.js';

const BENCH_INI = readFileSync(new URL('../../bench/printability/profile.ini', import.meta.url), 'utf8');

function errorOf(fn: () => unknown): LayerwiseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LayerwiseError) return e;
    throw e;
  }
  throw new Error('expected a LayerwiseError');
}

describe('parsePrusaIni', () => {
  it('reads the benchmark profile into the generic settings it matches', () => {
    const p = parsePrusaIni(BENCH_INI);
    expect(p).toMatchObject({
      id: 'generic-fdm-layerwise',
      technology: 'fdm',
      buildVolumeMm: [250, 210, 220],
      nozzleMm: 0.4,
      layerHeightMm: 0.2,
      firstLayerHeightMm: 0.2,
      lineWidthMm: 0.45,
      perimeters: 2,
      topLayers: 4,
      bottomLayers: 3,
      infill: 0.15,
      speedsMmS: { perimeter: 45, externalPerimeter: 25, infill: 80, solidInfill: 40, firstLayer: 20 },
      minLayerSeconds: 5,
      densityGPerCm3: 1.24,
      filamentDiameterMm: 1.75,
      material: 'PLA',
    });
    const s = fdmSettingsFor(p);
    expect(s).toMatchObject({ lineWidthMm: 0.45, perimeters: 2, infill: 0.15 });
    expect(minFeatureMm(p)).toBeCloseTo(0.44, 9);
  });

  it('percent speeds and widths resolve like PrusaSlicer; per-extruder lists take the first', () => {
    const p = parsePrusaIni(
      [
        'bed_shape = -10x-10,240x-10,240x200,-10x200',
        'max_print_height = 180',
        'nozzle_diameter = 0.6,0.4',
        'layer_height = 0.3',
        'first_layer_height = 120%',
        'extrusion_width = 250%',
        'perimeter_speed = 60',
        'external_perimeter_speed = 50%',
        'infill_speed = 100',
        'solid_infill_speed = 0',
        'fill_density = 20%',
        'max_volumetric_speed = 11',
      ].join('\n'),
      'My Printer',
    );
    expect(p.buildVolumeMm).toEqual([250, 210, 180]);
    expect(p.nozzleMm).toBe(0.6);
    expect(p.firstLayerHeightMm).toBeCloseTo(0.36, 9);
    expect(p.lineWidthMm).toBeCloseTo(0.75, 9);
    expect(p.speedsMmS).toEqual({ perimeter: 60, externalPerimeter: 30, infill: 100 });
    expect(p.infill).toBeCloseTo(0.2, 9);
    expect(p.id).toBe('my-printer');
    // The volumetric limit caps the speeds: 11 / (0.75 × 0.3) ≈ 48.9 mm/s.
    expect(fdmSettingsFor(p).speeds.infill).toBeCloseTo(11 / 0.225, 6);
    expect(fdmSettingsFor(p).speeds.externalPerimeter).toBe(30);
  });

  it('SLA: display size, seconds per layer, resin density, resin minimum feature', () => {
    const p = parsePrusaIni(
      [
        'printer_technology = SLA',
        'printer_settings_id = Original Prusa SL1S SPEED',
        'display_width = 127.008',
        'display_height = 79.38',
        'max_print_height = 150',
        'layer_height = 0.05',
        'exposure_time = 2',
        'fast_tilt_time = 4',
        'material_density = 1.1',
      ].join('\n'),
    );
    expect(p).toMatchObject({
      id: 'original-prusa-sl1s-speed',
      technology: 'resin',
      buildVolumeMm: [127.008, 79.38, 150],
      layerHeightMm: 0.05,
      secondsPerLayer: 6,
      densityGPerCm3: 1.1,
    });
    expect(minFeatureMm(p)).toBe(0.4);
  });

  it('a config bundle combines the presets it names', () => {
    const bundle = [
      '[print:0.15mm QUALITY]',
      'layer_height = 0.15',
      'perimeters = 3',
      '[printer:My MK3]',
      'bed_shape = 0x0,250x0,250x210,0x210',
      'max_print_height = 210',
      'nozzle_diameter = 0.4',
      '[filament:PETG]',
      'filament_density = 1.27',
      'filament_type = PETG',
      '[presets]',
      'print = 0.15mm QUALITY',
      'filament = PETG',
      'printer = My MK3',
    ].join('\n');
    expect(parsePrusaIni(bundle)).toMatchObject({
      id: 'my-mk3',
      layerHeightMm: 0.15,
      perimeters: 3,
      densityGPerCm3: 1.27,
      material: 'PETG',
    });
    expect(errorOf(() => parsePrusaIni(bundle.replace('printer = My MK3', 'printer = Other'))).message).toContain(
      '[printer:Other]',
    );
  });

  it('rejects a config without a build volume or with a bad number', () => {
    expect(errorOf(() => parsePrusaIni('layer_height = 0.2')).message).toContain('bed_shape');
    const e = errorOf(() => parsePrusaIni('bed_shape = 0x0,1x1\nmax_print_height = 10\nlayer_height = thin'));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('layer_height');
  });
});

/**
 * A printer profile from a PrusaSlicer configuration (`.ini`): the flat file PrusaSlicer writes with File ▸ Export ▸
 * Export Config (and reads with `--load`), or a config bundle (File ▸ Export ▸ Export Config Bundle) whose
 * `[presets]` section names the print, filament/material and printer presets to combine. SuperSlicer writes the
 * same keys. FFF and SLA printers are both read; unknown keys are ignored (a config has hundreds).
 *
 * Mapping: bed_shape + max_print_height → build volume; nozzle_diameter, layer_height, first_layer_height,
 * extrusion_width (mm, % of the layer height, or 0 = auto 1.125 × nozzle), perimeters, top/bottom_solid_layers,
 * fill_density, the speeds (a % is of the speed it derives from, as in PrusaSlicer), slowdown_below_layer_time,
 * filament_density/diameter, filament_type; SLA: display_width/height, exposure_time + fast_tilt_time per layer,
 * material_density (g/cm³ there too).
 */
import { LayerwiseError } from '../core/errors.js';
import type { PrinterProfile } from '../core/printability.js';
import type { FdmSettings } from './estimate-fdm.js';
import { parsePrinterProfile } from './printers.js';

/** Key → value of a flat ini, or of the sections a bundle's [presets] selects (printer, then print, then material). */
export function readIni(text: string): Map<string, string> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      current = new Map();
      sections.set(head[1]!.trim(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const presets = sections.get('presets');
  if (!presets) return sections.get('')!;
  const out = new Map(sections.get('')!);
  const pick = (kind: string, key: string): void => {
    const name = presets.get(key);
    const section = name === undefined ? undefined : sections.get(`${kind}:${name}`);
    if (name !== undefined && !section) {
      throw new LayerwiseError(
        'invalid_argument',
        `the config bundle names ${key} "${name}" but has no [${kind}:${name}]`,
      );
    }
    for (const [k, v] of section ?? []) out.set(k, v);
  };
  pick('print', 'print');
  pick('sla_print', 'sla_print');
  pick('filament', 'filament');
  pick('sla_material', 'sla_material');
  pick('printer', 'printer');
  if (!presets.has('printer')) {
    throw new LayerwiseError('invalid_argument', 'the config bundle has a [presets] section without printer = …');
  }
  out.set('printer_settings_id', out.get('printer_settings_id') || presets.get('printer')!);
  return out;
}

const kebab = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/[-.]{2,}/g, '-') || 'custom-printer';

/** Parses a PrusaSlicer `.ini` (flat or bundle) into a validated profile; throws `invalid_argument` naming the key. */
export function parsePrusaIni(text: string, fallbackName = 'Custom printer'): PrinterProfile {
  const ini = readIni(text);
  const num = (key: string): number | undefined => {
    const v = ini.get(key);
    if (v === undefined || v === '') return undefined;
    const x = Number(v.split(',')[0]!.replace('%', '').trim()); // per-extruder lists: the first extruder
    if (!Number.isFinite(x))
      throw new LayerwiseError('invalid_argument', `${key} = ${v} is not a number`, { details: { key } });
    return x;
  };
  const isPct = (key: string): boolean => (ini.get(key) ?? '').trim().endsWith('%');
  /** A speed that may be a percentage of another. */
  const speed = (key: string, base?: number): number | undefined => {
    const x = num(key);
    if (x === undefined || x === 0) return undefined; // 0 = auto in PrusaSlicer
    return isPct(key) ? (base === undefined ? undefined : (base * x) / 100) : x;
  };
  const technology = (ini.get('printer_technology') ?? 'FFF').toUpperCase() === 'SLA' ? 'resin' : 'fdm';
  const name = ini.get('printer_settings_id') || ini.get('printer_model') || fallbackName;
  let x: number | undefined;
  let y: number | undefined;
  const bed = ini.get('bed_shape');
  if (bed) {
    const pts = bed.split(',').map((p) => p.split('x').map(Number));
    if (pts.some((p) => p.length !== 2 || p.some((c) => !Number.isFinite(c)))) {
      throw new LayerwiseError('invalid_argument', `bed_shape = ${bed} is not a list of XxY points`, {
        details: { key: 'bed_shape' },
      });
    }
    x = Math.max(...pts.map((p) => p[0]!)) - Math.min(...pts.map((p) => p[0]!));
    y = Math.max(...pts.map((p) => p[1]!)) - Math.min(...pts.map((p) => p[1]!));
  }
  if (technology === 'resin') {
    x = num('display_width') ?? x;
    y = num('display_height') ?? y;
  }
  const z = num('max_print_height');
  if (x === undefined || y === undefined || z === undefined) {
    throw new LayerwiseError(
      'invalid_argument',
      'the .ini has no build volume: it needs bed_shape (or display_width/display_height for SLA) and ' +
        'max_print_height — export the printer settings with File ▸ Export ▸ Export Config in PrusaSlicer',
    );
  }
  const profile: Record<string, unknown> = { id: kebab(name), name, technology, buildVolumeMm: [x, y, z] };
  const set = (key: string, v: unknown): void => {
    if (v !== undefined) profile[key] = v;
  };
  set('layerHeightMm', num('layer_height'));
  set('densityGPerCm3', technology === 'resin' ? num('material_density') : num('filament_density') || undefined);
  if (technology === 'resin') {
    const exposure = num('exposure_time');
    if (exposure !== undefined) set('secondsPerLayer', exposure + (num('fast_tilt_time') ?? 5));
    set('material', ini.get('material_type') || ini.get('sla_material_settings_id') || undefined);
    return parsePrinterProfile(profile);
  }
  const nozzle = num('nozzle_diameter');
  const layer = num('layer_height');
  set('nozzleMm', nozzle);
  const first = num('first_layer_height');
  set(
    'firstLayerHeightMm',
    first !== undefined && isPct('first_layer_height') && layer ? (layer * first) / 100 : first,
  );
  const width = num('extrusion_width');
  if (width) set('lineWidthMm', isPct('extrusion_width') ? (layer ? (layer * width) / 100 : undefined) : width);
  set('perimeters', num('perimeters'));
  set('topLayers', num('top_solid_layers'));
  set('bottomLayers', num('bottom_solid_layers'));
  const fill = num('fill_density');
  if (fill !== undefined) set('infill', isPct('fill_density') || fill > 1 ? fill / 100 : fill);
  const perimeter = speed('perimeter_speed');
  const infill = speed('infill_speed');
  const speeds: Record<string, number | undefined> = {
    perimeter,
    externalPerimeter: speed('external_perimeter_speed', perimeter),
    infill,
    solidInfill: speed('solid_infill_speed', infill),
    firstLayer: speed('first_layer_speed', perimeter),
  };
  const given = Object.fromEntries(Object.entries(speeds).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length > 0) set('speedsMmS', given);
  set('minLayerSeconds', num('slowdown_below_layer_time'));
  set('filamentDiameterMm', num('filament_diameter'));
  set('material', ini.get('filament_type') || undefined);
  const flow = num('max_volumetric_speed');
  if (flow) set('flowMm3PerS', flow);
  return parsePrinterProfile(profile);
}

/**
 * The PrusaSlicer config (flat `.ini`, for `--load`) matching a profile as the layer model reads it (defaults filled
 * in), so a slice and our estimate use the same settings. FDM only.
 */
export function toPrusaIni(p: PrinterProfile, s: FdmSettings): string {
  const [x, y, z] = p.buildVolumeMm;
  const lines: [string, string | number][] = [
    ['printer_technology', 'FFF'],
    ['printer_settings_id', p.name],
    ['bed_shape', `0x0,${x}x0,${x}x${y},0x${y}`],
    ['max_print_height', z],
    ['nozzle_diameter', p.nozzleMm ?? 0.4],
    ['filament_diameter', p.filamentDiameterMm ?? 1.75],
    ['filament_density', p.densityGPerCm3 ?? 1.24],
    ['layer_height', s.layerHeightMm],
    ['first_layer_height', s.firstLayerHeightMm],
    ['extrusion_width', s.lineWidthMm],
    ['first_layer_extrusion_width', s.lineWidthMm],
    ['perimeters', s.perimeters],
    ['top_solid_layers', s.topLayers],
    ['bottom_solid_layers', s.bottomLayers],
    ['fill_density', `${Math.round(s.infill * 100)}%`],
    ['fill_pattern', 'grid'],
    ['perimeter_speed', s.speeds.perimeter],
    ['external_perimeter_speed', s.speeds.externalPerimeter],
    ['infill_speed', s.speeds.infill],
    ['solid_infill_speed', s.speeds.solidInfill],
    ['first_layer_speed', s.speeds.firstLayer],
    ['slowdown_below_layer_time', s.minLayerSeconds],
    ['max_volumetric_speed', p.flowMm3PerS ?? 0],
    ['skirts', 0],
    ['brim_width', 0],
    ['support_material', 0],
    ['gcode_flavor', 'marlin2'],
    ['machine_limits_usage', 'time_estimate_only'],
  ];
  return `${lines.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}

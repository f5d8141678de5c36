/**
 * Built-in printer profiles (build volumes from the makers' published specifications) and custom profiles from
 * JSON, validated with zod. Flow and seconds-per-layer are rough averages for the time model (see analyze.ts): an
 * effective volumetric rate over a whole print (travel, accelerations and small features included), not the hot
 * end's peak.
 */
import { z } from 'zod';
import { LayerwiseError } from '../core/errors.js';
import type { PrinterProfile } from '../core/printability.js';

const fdm = (
  id: string,
  name: string,
  buildVolumeMm: [number, number, number],
  flowMm3PerS: number,
): PrinterProfile => ({ id, name, technology: 'fdm', buildVolumeMm, nozzleMm: 0.4, layerHeightMm: 0.2, flowMm3PerS });

const resin = (
  id: string,
  name: string,
  buildVolumeMm: [number, number, number],
  secondsPerLayer: number,
): PrinterProfile => ({ id, name, technology: 'resin', buildVolumeMm, layerHeightMm: 0.05, secondsPerLayer });

/** The built-in profiles, by id. */
export const PRINTERS: readonly PrinterProfile[] = [
  fdm('prusa-mk4', 'Original Prusa MK4', [250, 210, 220], 10),
  fdm('prusa-mini', 'Original Prusa MINI+', [180, 180, 180], 7),
  fdm('prusa-xl', 'Original Prusa XL', [360, 360, 360], 10),
  fdm('bambu-x1', 'Bambu Lab X1 Carbon', [256, 256, 256], 15),
  fdm('bambu-a1-mini', 'Bambu Lab A1 mini', [180, 180, 180], 12),
  fdm('ender-3', 'Creality Ender-3', [220, 220, 250], 5),
  fdm('voron-2.4-350', 'Voron 2.4 (350 mm)', [350, 350, 340], 15),
  fdm('voron-0', 'Voron 0.2', [120, 120, 120], 8),
  resin('elegoo-mars', 'Elegoo Mars', [120, 68, 155], 11),
  resin('anycubic-photon-m3', 'Anycubic Photon M3', [163.9, 102.4, 180], 7),
];

/** The default print settings when no printer is given (a generic 0.4 mm FDM printer). */
export const DEFAULT_FDM: PrinterProfile = fdm('generic-fdm', 'Generic FDM', [200, 200, 200], 8);

export function printerIds(): string[] {
  return PRINTERS.map((p) => p.id);
}

/** A built-in profile by id (case-insensitive); throws `not_found` listing the valid ids. */
export function getPrinter(id: string): PrinterProfile {
  const key = id.trim().toLowerCase();
  const found = PRINTERS.find((p) => p.id === key);
  if (!found) {
    throw new LayerwiseError(
      'not_found',
      `unknown printer "${id}"; valid ids: ${printerIds().join(', ')} (or pass a custom profile as JSON)`,
      { details: { printer: id, valid: printerIds() } },
    );
  }
  return { ...found, buildVolumeMm: [...found.buildVolumeMm] };
}

const positive = z.number().positive();

/** Schema of a custom profile (unknown keys are errors). */
export const printerProfileSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be kebab-case, e.g. "my-printer" (lower case, digits, - and .)'),
  name: z.string().min(1),
  technology: z.enum(['fdm', 'resin']),
  buildVolumeMm: z.tuple([positive, positive, positive]),
  nozzleMm: positive.optional(),
  layerHeightMm: positive.optional(),
  flowMm3PerS: positive.optional(),
  secondsPerLayer: positive.optional(),
  firstLayerHeightMm: positive.optional(),
  lineWidthMm: positive.optional(),
  perimeters: z.number().int().min(0).max(50).optional(),
  topLayers: z.number().int().min(0).max(100).optional(),
  bottomLayers: z.number().int().min(0).max(100).optional(),
  infill: z.number().min(0).max(1).optional(),
  speedsMmS: z
    .strictObject({
      perimeter: positive.optional(),
      externalPerimeter: positive.optional(),
      infill: positive.optional(),
      solidInfill: positive.optional(),
      firstLayer: positive.optional(),
    })
    .optional(),
  minLayerSeconds: z.number().min(0).optional(),
  minFeatureMm: positive.optional(),
  material: z.string().min(1).optional(),
  densityGPerCm3: positive.optional(),
  filamentDiameterMm: positive.optional(),
});

/** Validates a custom profile (e.g. `JSON.parse` of a file); throws `invalid_argument` naming each bad field. */
export function parsePrinterProfile(json: unknown): PrinterProfile {
  const r = printerProfileSchema.safeParse(json);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new LayerwiseError(
      'invalid_argument',
      `invalid printer profile: ${problems.join('; ')}. Expected {id, name, technology: "fdm"|"resin", ` +
        'buildVolumeMm: [x, y, z], nozzleMm?, layerHeightMm?, …} with lengths in mm (see the README), or a ' +
        'PrusaSlicer .ini',
      { details: { issues: problems } },
    );
  }
  // zod keeps only the keys present; drop explicit undefineds so exactOptionalPropertyTypes holds.
  const out = Object.fromEntries(
    Object.entries(r.data).filter(([, v]) => v !== undefined),
  ) as unknown as PrinterProfile;
  if (out.speedsMmS) {
    out.speedsMmS = Object.fromEntries(Object.entries(out.speedsMmS).filter(([, v]) => v !== undefined));
  }
  return out;
}

/**
 * The printability report on the wire: the same shape as `PrintabilityReport` in core (which the analysis
 * produces). The compile-time check at the bottom fails when the two drift apart — a field added in core must be
 * added here. On the wire the report is open (see `NamedOptions.open`): reports stored by older versions lack the
 * newer fields and are served as stored.
 */
import { z } from 'zod';
import type { PrintabilityReport as CoreReport } from '../core/printability.js';
import { named } from './registry.js';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

const faceIds = z
  .array(z.int())
  .describe("faces by index in the file's triangle order (at most 2,000, ascending), for viewers to colour");

const DefectRegion = z.object({ faces: z.int(), centerMm: vec3, bboxMinMm: vec3, bboxMaxMm: vec3 });

const ThinWallReport = z.object({
  minWidthMm: z.number().describe('the threshold used: the printer minimum feature, mm'),
  areaMm2: z.number(),
  minThicknessMm: z.number().nullable().describe('thinnest wall measured (null when no ray came back)'),
  regions: z.array(DefectRegion.extend({ areaMm2: z.number(), minThicknessMm: z.number() })),
  faceIds: faceIds.optional(),
});

const BestOrientation = z.object({
  up: vec3.describe('the mesh direction that points up on the bed (unit vector)'),
  rotation: z.array(z.number()).describe('row-major 3 × 3 rotation from the stored to the best orientation'),
  quaternion: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  supportAreaBeforeMm2: z.number(),
  supportAreaMm2: z.number(),
  contactAreaMm2: z.number(),
  stable: z.boolean(),
  heightMm: z.number(),
  printMinutes: z.number(),
  fitsPrinter: z.boolean().nullable(),
});

export const PrintabilityReport = named(
  'PrintabilityReport',
  z
    .object({
      triangles: z.int(),
      vertices: z.int(),
      shells: z.int(),
      watertight: z.boolean(),
      openEdges: z.int(),
      nonManifoldEdges: z.int(),
      inconsistentEdges: z.int(),
      degenerateFaces: z.int(),
      signedVolumeMm3: z.number().describe('signed volume; negative means the mesh is inside-out'),
      volumeMm3: z.number(),
      insideOut: z.boolean(),
      areaMm2: z.number(),
      bboxMm: vec3.describe('bounding box [x, y, z] in mm'),
      genus: z.int().nullable().describe('genus when closed and orientable, else null'),
      overhangAreaMm2: z.number(),
      overhangAngleDeg: z.number(),
      fitsPrinter: z.boolean().nullable().describe('null without a printer'),
      fitOrientation: z
        .object({ axes: z.tuple([z.int(), z.int(), z.int()]), rotationZDeg: z.number() })
        .nullable()
        .describe('best orientation found to fit (axis permutation + rotation about Z); null when none'),
      printer: z.string().nullable(),
      massG: z.number(),
      printMinutes: z.number(),
      // issue 20 (slicer-grade checks): optional, reports stored before it lack them
      materialCm3: z.number().optional().describe('filament (FDM) or resin volume the print uses, cm³'),
      filamentMm: z.number().nullable().optional().describe('FDM filament length, mm (null for resin)'),
      layers: z.int().optional().describe('layers at the profile layer height in the stored orientation'),
      thinWalls: ThinWallReport.nullable()
        .optional()
        .describe('walls thinner than the printer minimum feature; null when not measured'),
      selfIntersections: z
        .object({
          pairs: z.int(),
          faces: z.int(),
          regions: z.array(DefectRegion),
          faceIds: faceIds.optional(),
          complete: z
            .boolean()
            .optional()
            .describe('false: the pass stopped at its work budget; counts are lower bounds'),
        })
        .optional(),
      degenerate: z
        .object({ zeroArea: z.int(), slivers: z.int(), duplicates: z.int(), regions: z.array(DefectRegion) })
        .optional(),
      bestOrientation: BestOrientation.nullable()
        .optional()
        .describe('orientation with the least support on a stable base; null for an empty mesh'),
      advice: z.array(z.string()).optional().describe('plain-words repair and print advice, most important first'),
      warnings: z.array(z.object({ code: z.string(), message: z.string(), count: z.int().optional() })),
    })
    .describe('Geometry stats and printability of a mesh, for one printer or none.'),
  { open: true },
);
export type PrintabilityReport = z.infer<typeof PrintabilityReport>;

export const PrinterInfo = named(
  'Printer',
  z
    .object({
      id: z.string(),
      name: z.string(),
      technology: z.enum(['fdm', 'resin']),
      buildVolumeMm: vec3.describe('build volume [x, y, z] in mm'),
    })
    .describe('A built-in printer profile (ids for the `printer` parameters).'),
);
export type PrinterInfo = z.infer<typeof PrinterInfo>;

/** True when A and B are the same type (optional keys included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Without `| undefined` on optional keys (zod adds it; core's exactOptionalPropertyTypes types do not). */
type Exact<T> = T extends readonly unknown[]
  ? { [K in keyof T]: Exact<T[K]> }
  : T extends object
    ? { [K in keyof T]: Exact<Exclude<T[K], undefined>> }
    : T;
const reportMatchesCore: Same<Exact<PrintabilityReport>, Exact<CoreReport>> = true;
void reportMatchesCore;

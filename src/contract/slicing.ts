/** The slicer engine on the wire (admin): `POST /v1/items/:id/slice?printer=` runs PrusaSlicer on an item. */
import { z } from 'zod';
import { named } from './registry.js';

export const SliceQuery = z.object({
  printer: z.string().min(1).max(100).default('prusa-mk4').describe('built-in FDM printer profile id'),
  orientation: z
    .enum(['stored', 'best'])
    .default('stored')
    .describe('slice the mesh as stored, or turned to the best orientation of its printability report'),
});
export type SliceQuery = z.output<typeof SliceQuery>;

export const SliceResult = named(
  'SliceResult',
  z
    .object({
      itemId: z.string(),
      printer: z.string(),
      orientation: z.enum(['stored', 'best']),
      slicer: z.string().nullable().describe('the slicer and its version, from the G-code header'),
      printSeconds: z.number().describe("PrusaSlicer's estimated print time (normal mode), s"),
      filamentMm: z.number(),
      filamentCm3: z.number(),
      filamentG: z.number().nullable().describe('null when the profile has no filament density'),
      layers: z.int(),
      sliceSeconds: z.number().describe('how long the slicer ran'),
      cached: z.boolean().describe('answered from the store (sliced earlier from the same file and settings)'),
      slicedAt: z.string().describe('when it was sliced, ISO 8601'),
    })
    .describe("PrusaSlicer's G-code statistics for an item on a printer, cached per item, printer and orientation."),
);
export type SliceResult = z.infer<typeof SliceResult>;

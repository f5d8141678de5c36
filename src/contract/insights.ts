/** Read-only routes for the web UI: categories, the printability of an upload and the shape map. */
import { z } from 'zod';
import { PrintabilityReport } from './printability.js';
import { named } from './registry.js';

export const CategoryCount = z.object({ category: z.string(), count: z.int() });
export type CategoryCount = z.infer<typeof CategoryCount>;

export const InspectQuery = z.object({
  printer: z.string().optional().describe('printer profile id for fit, mass and time'),
});

export const InspectResult = named(
  'InspectResult',
  z
    .object({ filename: z.string(), format: z.string(), printability: PrintabilityReport })
    .describe('The printability report of an uploaded mesh (nothing is stored).'),
);
export type InspectResult = z.infer<typeof InspectResult>;

export const ShapeMapQuery = z.object({ limit: z.int().min(1).max(20000).default(3000) });

export const ShapeMap = named(
  'ShapeMap',
  z
    .object({
      encoder: z.string().nullable(),
      explained: z.tuple([z.number(), z.number()]).describe('share of the variance the two axes explain'),
      total: z.int().describe('number of embedded items; points is a deterministic sample of at most limit'),
      points: z.array(
        z.object({
          itemId: z.string(),
          title: z.string(),
          category: z.string().nullable(),
          x: z.number(),
          y: z.number(),
        }),
      ),
      encoderLosses: z.array(z.number()).describe('the shape encoder’s training loss per epoch (may be empty)'),
    })
    .describe('A 2-D projection (PCA) of the library’s shape embeddings.'),
);
export type ShapeMap = z.infer<typeof ShapeMap>;

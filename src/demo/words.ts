/** Word lists for generated creators, titles and descriptions of the demo library. */
import type { Rng } from '../core/rng.js';

const HANDLE_A = [
  'maker',
  'print',
  'layer',
  'nozzle',
  'filament',
  'voxel',
  'poly',
  'mesh',
  'fab',
  'gcode',
  'proto',
  'pixel',
];
const HANDLE_B = ['smith', 'works', 'lab', 'forge', 'craft', 'garage', 'studio', 'shop', 'nerd', 'bot', 'den', 'hub'];
const FIRST = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivo', 'jun', 'kai', 'lea', 'mo', 'nia'];

/** A deterministic creator handle, e.g. `nozzle_forge42` or `hana.prints`. */
export function creatorHandle(rng: Rng, index: number): string {
  switch (rng.int(3)) {
    case 0:
      return `${rng.pick(HANDLE_A)}_${rng.pick(HANDLE_B)}${index % 97}`;
    case 1:
      return `${rng.pick(FIRST)}.${rng.pick(['prints', 'makes', 'designs', '3d', 'cad'])}${index % 13 || ''}`;
    default:
      return `${rng.pick(FIRST)}${rng.pick(HANDLE_B)}${index}`;
  }
}

const FLAIR = [
  'Parametric',
  'Minimal',
  'Sturdy',
  'Classic',
  'Modern',
  'Compact',
  'Simple',
  'Elegant',
  'Low-poly',
  'Easy-print',
];

export function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A listing title such as "Minimal twisted vase" or "40-tooth spoked gear". */
export function itemTitle(rng: Rng, phrase: string, noun: string): string {
  const base = `${phrase} ${noun}`;
  return rng.bernoulli(0.45) ? `${rng.pick(FLAIR)} ${base}` : titleCase(base);
}

const PRINT_TIPS = [
  'Prints without supports in PLA or PETG.',
  'Tested at 0.2 mm layers, 15 % infill.',
  'No supports needed; use a brim on smooth beds.',
  'Prints in one piece; 3 walls recommended.',
  'Works well in vase mode or with 2 perimeters.',
  'Print flat side down; PETG for outdoor use.',
];

/** A short description naming the design, its size and a print tip. */
export function itemDescription(rng: Rng, title: string, bbox: readonly number[], remixOfTitle?: string): string {
  const size = bbox.map((v) => Math.round(v)).join(' × ');
  const lead = remixOfTitle ? `A remix of "${remixOfTitle}" with tweaked proportions.` : `${title}.`;
  return `${lead} About ${size} mm. ${rng.pick(PRINT_TIPS)}`;
}

export const LICENSES = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC0-1.0', 'MIT', 'GPL-3.0-or-later'] as const;
export const LICENSE_WEIGHTS = [0.34, 0.18, 0.24, 0.12, 0.07, 0.05] as const;

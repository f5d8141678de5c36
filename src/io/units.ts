/**
 * Length units. Meshes are always held in millimetres; 3MF files name their unit, other formats are taken as mm
 * unless the caller says otherwise. Names follow the 3MF core specification (§3.4.1 `unit`).
 */
import { LayerwiseError } from '../core/errors.js';

export type LengthUnit = 'micron' | 'millimeter' | 'centimeter' | 'inch' | 'foot' | 'meter';

/** Millimetres per unit. */
export const MM_PER_UNIT: Readonly<Record<LengthUnit, number>> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
};

const ALIASES: Readonly<Record<string, LengthUnit>> = {
  um: 'micron',
  mm: 'millimeter',
  cm: 'centimeter',
  in: 'inch',
  ft: 'foot',
  m: 'meter',
};

/** Resolves a unit name or short alias (`mm`, `cm`, `in`, `m`, `um`, `ft`) or throws `invalid_argument`. */
export function toLengthUnit(name: string): LengthUnit {
  const key = name.trim().toLowerCase();
  if (key in MM_PER_UNIT) return key as LengthUnit;
  const alias = ALIASES[key];
  if (alias) return alias;
  throw new LayerwiseError(
    'invalid_argument',
    `unknown length unit "${name}"; use one of ${Object.keys(MM_PER_UNIT).join(', ')} (or mm, cm, in, m, um, ft)`,
  );
}

/** Multiplies every coordinate by `scale` in place (no-op for 1). */
export function scalePositions(positions: Float32Array, scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < positions.length; i++) positions[i] = positions[i]! * scale;
}

/** Six-sided dice: a cube rounded by intersecting a sphere, with dimpled (round or square) pips. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import type { Kernel, Solid } from '../kernel.js';

/** Pip positions on a face, in units of the face half-width, for faces 1..6. */
const PIPS: [number, number][][] = [
  [[0, 0]],
  [
    [-0.5, -0.5],
    [0.5, 0.5],
  ],
  [
    [-0.5, -0.5],
    [0, 0],
    [0.5, 0.5],
  ],
  [
    [-0.5, -0.5],
    [0.5, -0.5],
    [-0.5, 0.5],
    [0.5, 0.5],
  ],
  [
    [-0.5, -0.5],
    [0.5, -0.5],
    [0, 0],
    [-0.5, 0.5],
    [0.5, 0.5],
  ],
  [
    [-0.5, -0.55],
    [0.5, -0.55],
    [-0.5, 0],
    [0.5, 0],
    [-0.5, 0.55],
    [0.5, 0.55],
  ],
];
/** Rotations taking the +z face to each die face (opposite faces sum to 7). */
const FACES: [number, number, number][] = [
  [0, 0, 0],
  [90, 0, 0],
  [0, 90, 0],
  [0, -90, 0],
  [-90, 0, 0],
  [180, 0, 0],
];

function pip(k: Kernel, style: string, r: number): Solid {
  return style === 'square' ? k.Manifold.cube([r * 1.7, r * 1.7, r * 1.6], true) : k.Manifold.sphere(r, 16);
}

export const dice: Family = {
  id: 'dice',
  noun: 'die',
  tags: ['dice', 'game', 'tabletop', 'd6'],
  params: {
    size: { min: 12, max: 26 },
    rounding: { min: 1.25, max: 1.55 },
    pips: { options: ['round', 'square'] },
  },
  traitPriors: { small: 1, round: 0.5 },
  build(k, p) {
    const a = num(p, 'size');
    const style = str(p, 'pips');
    let die = k.Manifold.cube([a, a, a], true).intersect(k.Manifold.sphere((a / 2) * num(p, 'rounding'), 48));
    const cuts: Solid[] = [];
    const r = a * 0.085;
    FACES.forEach((rot, f) => {
      for (const [u, v] of PIPS[f]!)
        cuts.push(
          pip(k, style, r)
            .translate([u * a * 0.55, v * a * 0.55, a / 2])
            .rotate(rot),
        );
    });
    die = die.subtract(k.Manifold.union(cuts));
    return {
      parts: [{ name: 'die', solid: die, genus: 0 }],
      round: style === 'round',
      ornate: true,
      tags: [`${style}-pips`],
    };
  },
  describe: (p) => `${Math.round(num(p, 'size'))} mm ${str(p, 'pips')}-pip`,
};

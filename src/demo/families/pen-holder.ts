/** Pen holders: tall round, hexagonal or trefoil cups, plain, perforated with rows of holes, or slotted. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { cup, outline } from '../shapes.js';

export const penHolder: Family = {
  id: 'pen-holder',
  noun: 'pen holder',
  tags: ['pen-holder', 'desk', 'organizer', 'office'],
  params: {
    shape: { options: ['round', 'hex', 'tri'] },
    pattern: { options: ['plain', 'perforated', 'slotted'] },
    radius: { min: 30, max: 48 },
    height: { min: 80, max: 125 },
    wall: { min: 2, max: 3 },
    rows: { min: 2, max: 5, int: true },
  },
  traitPriors: { tall: 0.8, holed: 0.6, round: 0.4 },
  build(k, p) {
    const shape = str(p, 'shape');
    const pattern = str(p, 'pattern');
    const r = num(p, 'radius');
    const h = num(p, 'height');
    let solid = cup(outline(k, shape, r), h, num(p, 'wall'), 3);
    let genus = 0;
    if (pattern !== 'plain') {
      const rows = num(p, 'rows');
      const around = 6;
      const hole =
        pattern === 'perforated'
          ? k.Manifold.cylinder(r * 3, 3.5, 3.5, 24, true).rotate([0, 90, 0])
          : k.Manifold.cube([r * 3, 4, h / (rows + 1) / 1.6], true);
      for (let row = 0; row < rows; row++) {
        const z = (h * (row + 1)) / (rows + 1.5) + 6;
        for (let j = 0; j < around / 2; j++)
          solid = solid.subtract(hole.rotate([0, 0, (180 * j) / (around / 2) + (row % 2) * 30]).translate([0, 0, z]));
      }
      genus = -1;
    }
    return {
      parts: [{ name: 'holder', solid, ...(genus === 0 ? { genus: 0 } : {}) }],
      round: shape === 'round',
      ornate: pattern !== 'plain',
      tags: [shape, pattern],
    };
  },
  describe: (p) => `${str(p, 'pattern')} ${str(p, 'shape')}`,
};

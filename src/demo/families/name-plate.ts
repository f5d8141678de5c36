/** Name plates: a plate with raised pixel lettering — desk plates on a wedge, wall plates with holes, or standing. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { glyphCells } from '../glyphs.js';
import { drill, roundedRect } from '../shapes.js';

/** Names a plate can carry (the variant picks one). */
export const PLATE_NAMES = [
  'ADA',
  'ALAN',
  'GRACE',
  'LINUS',
  'MAYA',
  'NOOR',
  'OTTO',
  'RUBY',
  'KENJI',
  'LENA',
  'IVAN',
  'ZOE',
  'FELIX',
  'IRIS',
  'OFFICE',
  'STUDIO',
  'KITCHEN',
  'GARAGE',
  'LAB',
  'MAKER',
  'PRINT',
  'HELLO',
  'WELCOME',
  'QUIET',
] as const;

export const namePlate: Family = {
  id: 'name-plate',
  noun: 'name plate',
  tags: ['name-plate', 'sign', 'personalized', 'gift'],
  params: {
    style: { options: ['desk', 'wall', 'stand'] },
    name: { options: PLATE_NAMES },
    pixel: { min: 1.6, max: 3 },
    thickness: { min: 2.5, max: 4 },
    relief: { min: 0.8, max: 2 },
    corner: { min: 0.5, max: 5 },
  },
  traitPriors: { flat: 0.8, ornate: 0.5, holed: 0.3 },
  build(k, p) {
    const style = str(p, 'style');
    const text = str(p, 'name');
    const px = num(p, 'pixel');
    const t = num(p, 'thickness');
    const cells = glyphCells(text);
    const cols = text.length * 6 - 1;
    const w = cols * px + 16;
    const d = 7 * px + 14;
    const letters = k.CrossSection.union(
      cells.map(([c, r]) => k.CrossSection.square([px * 1.02, px * 1.02]).translate([c * px, r * px])),
    ).translate([-(cols * px) / 2, -(7 * px) / 2]);
    let solid = roundedRect(k, w, d, num(p, 'corner'))
      .extrude(t)
      .add(letters.extrude(num(p, 'relief') + 0.5).translate([0, 0, t - 0.5]));
    let genus = 0;
    if (style === 'wall') {
      for (const x of [-w / 2 + 4, w / 2 - 4]) solid = solid.subtract(drill(k, x, 0, 1.8, t, 24));
      genus = 2;
    } else {
      // Upright: the plate stands on its long edge, letters facing -y; a foot (stand) or a rear wedge (desk).
      solid = solid.rotate([90, 0, 0]).translate([0, 0, d / 2]);
      if (style === 'stand') solid = solid.add(k.Manifold.cube([w, 12, t], true).translate([0, -t / 2, t / 2]));
      else {
        const wedge = new k.CrossSection([
          [0, 0],
          [d * 0.45, 0],
          [0, d * 0.7],
        ]).extrude(w * 0.6, 1, 0, 1, true);
        solid = solid.add(wedge.rotate([90, 0, 0]).rotate([0, 0, 90]).translate([0, -0.5, 0]));
      }
    }
    return {
      parts: [{ name: 'plate', solid, genus }],
      round: false,
      ornate: text.length > 5,
      tags: [style, text.toLowerCase()],
    };
  },
  describe: (p) => `"${str(p, 'name')}" ${str(p, 'style')}`,
};

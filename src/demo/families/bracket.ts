/** L-brackets: two plates at a right angle with screw holes or slots, optionally braced by a gusset. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { drill } from '../shapes.js';

export const bracket: Family = {
  id: 'bracket',
  noun: 'bracket',
  tags: ['bracket', 'functional', 'hardware', 'mount'],
  params: {
    style: { options: ['plain', 'gusset', 'slotted'] },
    leg_a: { min: 30, max: 90 },
    leg_b: { min: 25, max: 70 },
    width: { min: 15, max: 40 },
    thickness: { min: 3, max: 6 },
    holes: { min: 1, max: 3, int: true },
    screw: { min: 1.6, max: 2.6 },
  },
  traitPriors: { holed: 1, small: 0.1 },
  build(k, p) {
    const a = num(p, 'leg_a');
    const b = num(p, 'leg_b');
    const w = num(p, 'width');
    const t = num(p, 'thickness');
    const style = str(p, 'style');
    const r = num(p, 'screw');
    let solid = k.Manifold.cube([a, w, t]).add(k.Manifold.cube([t, w, b]));
    if (style === 'gusset') {
      const g = Math.min(a, b) * 0.55;
      const tri = new k.CrossSection([
        [0, 0],
        [g, 0],
        [0, g],
      ]).extrude(Math.min(4, w / 4), 1, 0, 1, true);
      solid = solid.add(tri.rotate([90, 0, 0]).translate([t * 0.5, w / 2, t * 0.5]));
    }
    const n = num(p, 'holes');
    for (let i = 0; i < n; i++) {
      const x = t + ((a - t) * (i + 0.6)) / (n + 0.2);
      const y = style === 'gusset' ? w / 4 : w / 2;
      let hole = drill(k, x, y, r, t, 24);
      if (style === 'slotted')
        hole = k.Manifold.hull([hole, hole.translate([Math.min(6, (a - t) / (n + 1) / 2), 0, 0])]);
      solid = solid.subtract(hole);
      const z = t + ((b - t) * (i + 0.6)) / (n + 0.2);
      solid = solid.subtract(drill(k, 0, 0, r, t, 24).rotate([0, 90, 0]).translate([-1, y, z]));
    }
    return { parts: [{ name: 'bracket', solid, genus: 2 * n }], round: false, tags: [`${n * 2}-holes`] };
  },
  describe: (p) => `${str(p, 'style')} ${Math.round(num(p, 'leg_a'))} mm`,
};

/** Keycaps: a hollow tapered cap with a dished top and a Cherry-MX cross stem, in common key widths. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { roundedRect } from '../shapes.js';

const UNIT = 19.05;

export const keycap: Family = {
  id: 'keycap',
  noun: 'keycap',
  tags: ['keycap', 'keyboard', 'mechanical-keyboard', 'cherry-mx'],
  params: {
    profile: { options: ['dsa', 'flat', 'sculpted'] },
    units: { options: ['1', '1.25', '1.5', '2', '2.25'] },
    height: { min: 7, max: 11 },
    taper: { min: 0.7, max: 0.85 },
    corner: { min: 0.5, max: 3 },
  },
  traitPriors: { small: 1, flat: 0.3 },
  build(k, p) {
    const u = Number(str(p, 'units'));
    const w = UNIT * u - 1;
    const d = UNIT - 1;
    const h = num(p, 'height');
    const taper = num(p, 'taper');
    const base = roundedRect(k, w, d, num(p, 'corner'));
    const sx = (w - (d - d * taper)) / w;
    let cap = base.extrude(h, 1, 0, [sx, taper]);
    cap = cap.subtract(
      base
        .offset(-1.2, 'Round', 2, 16)
        .extrude(h - 1.5, 1, 0, [sx, taper])
        .translate([0, 0, -0.01]),
    );
    const profile = str(p, 'profile');
    if (profile === 'dsa') {
      const R = 40;
      cap = cap.subtract(k.Manifold.sphere(R, 64).translate([0, 0, h + R - 0.8]));
    } else if (profile === 'sculpted') {
      const R = 30;
      cap = cap.subtract(
        k.Manifold.cylinder(w * 2, R, R, 64, true)
          .rotate([0, 90, 0])
          .translate([0, 0, h + R - 0.7]),
      );
    }
    const stem = k.Manifold.cylinder(h - 1.5, 2.75, 2.75, 32)
      .subtract(k.Manifold.cube([4.1, 1.3, 20], true))
      .subtract(k.Manifold.cube([1.3, 4.1, 20], true));
    cap = cap.add(stem.translate([0, 0, 0.5]));
    return {
      parts: [{ name: 'keycap', solid: cap, genus: 0 }],
      round: profile !== 'flat',
      tags: [`${str(p, 'units')}u`, profile],
    };
  },
  describe: (p) => `${str(p, 'units')}u ${str(p, 'profile').toUpperCase() === 'DSA' ? 'DSA' : str(p, 'profile')}`,
};

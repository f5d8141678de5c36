/** Cable clips: a snap-in C ring on a base tab with a screw hole (or a wide adhesive pad), single or double. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import type { Kernel, Section } from '../kernel.js';

/** A C-shaped ring of inner radius r, wall t, opening of width `gap` at the top, resting on y = 0. */
function clip(k: Kernel, r: number, t: number, gap: number): Section {
  const ring = k.CrossSection.circle(r + t, 48).subtract(k.CrossSection.circle(r, 48));
  return ring.subtract(k.CrossSection.square([gap, r + t + 1]).translate([-gap / 2, 0])).translate([0, r + t]);
}

export const cableClip: Family = {
  id: 'cable-clip',
  noun: 'cable clip',
  tags: ['cable-management', 'clip', 'functional', 'desk'],
  params: {
    style: { options: ['screw', 'adhesive', 'double'] },
    cable: { min: 3, max: 12 },
    width: { min: 6, max: 14 },
    wall: { min: 1.4, max: 2.6 },
  },
  traitPriors: { small: 0.9, holed: 0.6, round: 0.8 },
  build(k, p) {
    const style = str(p, 'style');
    const r = num(p, 'cable') / 2;
    const t = num(p, 'wall');
    const w = num(p, 'width');
    const gap = r * 1.2;
    const span = style === 'double' ? 4 * (r + t) + 2 : 2 * (r + t);
    const tab = style === 'adhesive' ? span + 8 : span + 16;
    let profile = k.CrossSection.square([tab, t], false).translate([-tab / 2, 0]);
    if (style === 'double') {
      profile = profile
        .add(clip(k, r, t, gap).translate([-(r + t) - 1, t * 0.5]))
        .add(clip(k, r, t, gap).translate([r + t + 1, t * 0.5]));
    } else profile = profile.add(clip(k, r, t, gap).translate([0, t * 0.5]));
    let solid = profile.extrude(w).rotate([90, 0, 0]);
    let holes = 0;
    if (style !== 'adhesive') {
      for (const x of [-tab / 2 + 4, tab / 2 - 4]) {
        solid = solid.subtract(k.Manifold.cylinder(t + 2, 1.7, 1.7, 24).translate([x, -w / 2, -1]));
        holes++;
      }
    }
    return {
      parts: [{ name: 'clip', solid, genus: holes }],
      round: true,
      tags: [`${num(p, 'cable').toFixed(0)}mm-cable`],
    };
  },
  describe: (p) => `${str(p, 'style')} ${num(p, 'cable').toFixed(0)} mm`,
};

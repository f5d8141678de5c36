/** Wall hooks: a back plate with countersunk screw holes and a J-shaped (or double) arm, printed on its side. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import type { Kernel, Section } from '../kernel.js';

/** Half a ring of inner radius r and thickness t, opening upwards, centred at (cx, cy). */
function arc(k: Kernel, cx: number, cy: number, r: number, t: number): Section {
  const ring = k.CrossSection.circle(r + t, 64).subtract(k.CrossSection.circle(r, 64));
  return ring
    .subtract(k.CrossSection.square([2 * (r + t) + 2, r + t + 1]).translate([-(r + t) - 1, 0]))
    .translate([cx, cy]);
}

export const hook: Family = {
  id: 'hook',
  noun: 'hook',
  tags: ['hook', 'wall-mount', 'functional', 'household'],
  params: {
    style: { options: ['j-hook', 'double', 'round-tip'] },
    plate: { min: 50, max: 100 },
    width: { min: 12, max: 30 },
    thickness: { min: 4, max: 7 },
    reach: { min: 10, max: 30 },
    holes: { min: 1, max: 2, int: true },
  },
  traitPriors: { holed: 1, flat: 0.3, round: 0.7 },
  build(k, p) {
    const style = str(p, 'style');
    const L = num(p, 'plate');
    const w = num(p, 'width');
    const t = num(p, 'thickness');
    const r = num(p, 'reach') / 2;
    // Profile in the XY plane: plate along y at x in [0, t]; the arm leaves the plate's foot towards +x.
    let profile = k.CrossSection.square([t, L]).add(arc(k, t + r, t + r, r, t));
    profile = profile.add(k.CrossSection.square([t, r]).translate([t + 2 * r, t + r]));
    if (style === 'round-tip')
      profile = profile.add(k.CrossSection.circle(t * 0.8, 32).translate([2 * r + 1.5 * t, t + 2 * r]));
    const armY = L * 0.42;
    if (style === 'double') {
      profile = profile
        .add(k.CrossSection.square([r, t]).translate([t, armY]))
        .add(k.CrossSection.square([t, r * 0.8]).translate([t + r, armY]));
    }
    let solid = profile.extrude(w);
    const n = num(p, 'holes');
    const low = Math.max(style === 'double' ? armY + r + 6 : 2 * r + 2 * t + 6, L * 0.5);
    for (let i = 0; i < n; i++) {
      const y = n === 1 ? (low + L - 6) / 2 : low + ((L - 6 - low) * i) / (n - 1);
      const screw = k.Manifold.cylinder(t + 2, 2, 2, 24).add(
        k.Manifold.cylinder(2.2, 2, 4.2, 24).translate([0, 0, t - 2]),
      );
      solid = solid.subtract(screw.rotate([0, 90, 0]).translate([-1, y, w / 2]));
    }
    return { parts: [{ name: 'hook', solid, genus: n }], round: style !== 'double', tags: [style] };
  },
  describe: (p) => `${str(p, 'style').replace('-', ' ')} ${Math.round(num(p, 'plate'))} mm`,
};

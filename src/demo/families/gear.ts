/** Spur gears: trapezoidal teeth on a pitch circle, a D-shaped or hex bore, optional spokes or a raised hub. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { drill, polygonPoints } from '../shapes.js';

export const gear: Family = {
  id: 'gear',
  noun: 'gear',
  tags: ['gear', 'mechanical', 'functional'],
  params: {
    style: { options: ['spur', 'spoked', 'hub'] },
    teeth: { min: 10, max: 48, int: true },
    module: { min: 1, max: 3 },
    thickness: { min: 4, max: 14 },
    bore: { min: 2.5, max: 6 },
    bore_shape: { options: ['d-shaft', 'hex', 'round'] },
  },
  traitPriors: { flat: 0.6, holed: 1, small: 0.35, ornate: 0.4 },
  build(k, p) {
    const z = num(p, 'teeth');
    const m = num(p, 'module');
    const t = num(p, 'thickness');
    const rp = (m * z) / 2;
    const ra = rp + m;
    const rf = rp - 1.25 * m;
    const pts: [number, number][] = [];
    for (let i = 0; i < z; i++) {
      const a = (2 * Math.PI * i) / z;
      const step = (2 * Math.PI) / z;
      for (const [f, r] of [
        [-0.27, rf],
        [-0.13, ra],
        [0.13, ra],
        [0.27, rf],
      ] as const) {
        pts.push([r * Math.cos(a + f * step), r * Math.sin(a + f * step)]);
      }
    }
    let solid = new k.CrossSection(pts).extrude(t);
    const style = str(p, 'style');
    const bore = Math.min(num(p, 'bore'), rf * 0.35);
    const hubR = Math.max(bore * 2.2, rf * 0.35);
    if (style === 'hub') solid = solid.add(k.Manifold.cylinder(t * 0.8, hubR, hubR, 48).translate([0, 0, t]));
    if (style === 'spoked' && rf > 18) {
      const holes = rf > 35 ? 6 : 4;
      const hr = (rf - hubR) * 0.32;
      solid = solid.subtract(
        k.Manifold.union(polygonPoints(holes, (rf + hubR) / 2).map(([x, y]) => drill(k, x, y, hr, t, 32))),
      );
    }
    const shape = str(p, 'bore_shape');
    const height = style === 'hub' ? t * 1.8 : t;
    let hole =
      shape === 'hex'
        ? new k.CrossSection(polygonPoints(6, bore)).extrude(height + 2).translate([0, 0, -1])
        : drill(k, 0, 0, bore, height, 32);
    if (shape === 'd-shaft')
      hole = hole.subtract(k.Manifold.cube([bore * 2, bore, height + 4]).translate([-bore, bore * 0.7, -2]));
    return {
      parts: [{ name: 'gear', solid: solid.subtract(hole) }],
      round: false,
      ornate: z > 30,
      tags: [`${z}-teeth`, `module-${m.toFixed(1)}`],
    };
  },
  describe: (p) => `${num(p, 'teeth')}-tooth ${str(p, 'style')}`,
};

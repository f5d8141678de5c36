/** Vases: twisted or faceted polygon extrusions, star flutes and turned (revolved) profiles, hollow with a floor. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { polygonPoints, starPoints } from '../shapes.js';

/** Distance from the origin to the nearest edge line of a closed outline. */
function innerRadius(pts: [number, number][]): number {
  let best = Number.POSITIVE_INFINITY;
  pts.forEach(([x1, y1], i) => {
    const [x2, y2] = pts[(i + 1) % pts.length]!;
    best = Math.min(best, Math.abs(x1 * y2 - x2 * y1) / Math.hypot(x2 - x1, y2 - y1));
  });
  return best;
}

export const vase: Family = {
  id: 'vase',
  noun: 'vase',
  tags: ['vase', 'home-decor', 'vase-mode'],
  params: {
    style: { options: ['twisted', 'faceted', 'turned', 'star'] },
    height: { min: 90, max: 200 },
    radius: { min: 25, max: 55 },
    sides: { min: 5, max: 10, int: true },
    twist: { min: 20, max: 140 },
    taper: { min: 0.6, max: 1.35 },
    wall: { min: 1.6, max: 3 },
    waves: { min: 1, max: 3, int: true },
  },
  traitPriors: { tall: 0.85, round: 0.4, ornate: 0.5, large: 0.4 },
  build(k, p) {
    const style = str(p, 'style');
    const h = num(p, 'height');
    const r = num(p, 'radius');
    const wall = num(p, 'wall');
    if (style === 'turned') {
      const waves = num(p, 'waves');
      const n = 36;
      const outer: [number, number][] = [];
      const inner: [number, number][] = [];
      for (let i = 0; i <= n; i++) {
        const z = (h * i) / n;
        const rz =
          r * (0.75 + 0.25 * Math.sin((Math.PI * waves * i) / n + 0.6)) * (1 + (num(p, 'taper') - 1) * (i / n));
        outer.push([rz, z]);
        if (z >= 2.5) inner.push([Math.max(rz - wall, 1), z]);
      }
      inner.push([Math.max(outer[n]![0] - wall, 1), h + 1]);
      const profile: [number, number][] = [[0, 0], ...outer, [outer[n]![0], h + 1], [0, h + 1]];
      const body = k.Manifold.revolve(new k.CrossSection(profile), 72);
      const hollow = k.Manifold.revolve(new k.CrossSection([[0, 2.5], ...inner, [0, h + 1]]), 72);
      return {
        parts: [{ name: 'vase', solid: body.subtract(hollow).trimByPlane([0, 0, -1], -h), genus: 0 }],
        round: true,
        ornate: waves > 1,
      };
    }
    const sides = num(p, 'sides');
    const pts = style === 'star' ? starPoints(sides, r, r * 0.78) : polygonPoints(sides, r);
    // The hollow is the outline scaled about its centre (not offset), so both twisted surfaces share their layout.
    const inset = 1 - wall / innerRadius(pts);
    const twist = style === 'faceted' ? 0 : num(p, 'twist');
    const body = new k.CrossSection(pts);
    // `extrude` inserts nDivisions extra layers: outer and inner get layers at the same heights.
    const layers = 4 * Math.max(2, Math.ceil(twist / 6));
    // Both surfaces run past the rim and are cut there together, so no face of one lies in a face of the other.
    const over = 1.25;
    const tall = (sec: typeof body) =>
      sec.extrude(h * over, layers * over - 1, twist * over, 1 + (num(p, 'taper') - 1) * over);
    const solid = tall(body)
      .subtract(tall(body.scale(inset)).trimByPlane([0, 0, 1], 2.5))
      .trimByPlane([0, 0, -1], -h);
    return { parts: [{ name: 'vase', solid, genus: 0 }], round: false, ornate: twist > 40, tags: [`${sides}-sided`] };
  },
  describe: (p) =>
    ({ twisted: 'twisted', faceted: 'faceted', turned: 'turned', star: 'fluted star' })[str(p, 'style')] ?? 'classic',
};

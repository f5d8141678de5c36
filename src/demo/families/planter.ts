/** Planters: tapered round or polygonal pots with drainage holes, some with a matching saucer. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { cup, drill, outline, polygonPoints, SECTION_EPS } from '../shapes.js';

export const planter: Family = {
  id: 'planter',
  noun: 'planter',
  tags: ['planter', 'garden', 'pot', 'home-decor'],
  params: {
    style: { options: ['round', 'hex', 'oct', 'square'] },
    radius: { min: 30, max: 75 },
    height: { min: 40, max: 120 },
    taper: { min: 1.05, max: 1.35 },
    wall: { min: 2, max: 3.2 },
    drains: { min: 0, max: 5, int: true },
    saucer: { options: ['yes', 'no'] },
  },
  traitPriors: { round: 0.3, large: 0.5, holed: 0.7 },
  build(k, p) {
    const style = str(p, 'style');
    const r = num(p, 'radius') / num(p, 'taper');
    const h = num(p, 'height');
    const wall = num(p, 'wall');
    const base = outline(k, style, r);
    let pot = cup(base, h, wall, wall * 1.5, num(p, 'taper'));
    const drains = num(p, 'drains');
    const holeR = Math.min(4, r * 0.08);
    const spots = drains === 1 ? [[0, 0] as [number, number]] : polygonPoints(drains, r * 0.45);
    if (drains > 0) pot = pot.subtract(k.Manifold.union(spots.map(([x, y]) => drill(k, x, y, holeR, wall * 2, 24))));
    const parts = [{ name: 'planter', solid: pot, genus: drains }];
    if (str(p, 'saucer') === 'yes' && r * num(p, 'taper') < 48) {
      parts.push({
        name: 'saucer',
        solid: cup(base.offset(6, 'Round', 2, 24).simplify(SECTION_EPS), 10, 2, 2),
        genus: 0,
      });
    }
    return { parts, round: style === 'round', tags: [style, drains > 0 ? 'drainage' : 'no-drainage'] };
  },
  describe: (p) => `${str(p, 'style')} ${Math.round(num(p, 'radius') * 2)} mm`,
};

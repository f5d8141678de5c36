/** Coasters: flat round, hexagonal or square discs with a rim and a grooved, gridded or wavy top pattern. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import type { Section } from '../kernel.js';
import { outline, polygonPoints } from '../shapes.js';

export const coaster: Family = {
  id: 'coaster',
  noun: 'coaster',
  tags: ['coaster', 'home-decor', 'kitchen', 'gift'],
  params: {
    shape: { options: ['round', 'hex', 'square', 'oct'] },
    pattern: { options: ['rings', 'hex-grid', 'waves', 'plain-rim'] },
    diameter: { min: 80, max: 110 },
    thickness: { min: 3, max: 6 },
    spacing: { min: 6, max: 12 },
  },
  traitPriors: { flat: 1, round: 0.4, ornate: 0.6 },
  build(k, p) {
    const shape = str(p, 'shape');
    const pattern = str(p, 'pattern');
    const R = num(p, 'diameter') / 2;
    const t = num(p, 'thickness');
    const s = num(p, 'spacing');
    const base = outline(k, shape, R);
    const field = base.offset(-4, 'Round', 2, 32);
    let cut: Section;
    if (pattern === 'rings') {
      let rings = k.CrossSection.circle(1, 8).subtract(k.CrossSection.circle(0.5, 8));
      for (let r = s; r < R; r += s)
        rings = rings.add(k.CrossSection.circle(r + 1, 64).subtract(k.CrossSection.circle(r - 1, 64)));
      cut = rings.intersect(field);
    } else if (pattern === 'hex-grid') {
      const cells: Section[] = [];
      for (let row = -Math.ceil(R / s); row <= Math.ceil(R / s); row++) {
        for (let col = -Math.ceil(R / s); col <= Math.ceil(R / s); col++) {
          const x = col * s * 1.0 + (row % 2 === 0 ? 0 : s / 2);
          const y = row * s * 0.866;
          cells.push(new k.CrossSection(polygonPoints(6, s * 0.45, 30)).translate([x, y]));
        }
      }
      cut = k.CrossSection.union(cells).intersect(field.offset(-1, 'Round', 2, 32));
    } else if (pattern === 'waves') {
      const waves: Section[] = [];
      for (let y = -R; y < R; y += s) {
        const pts: [number, number][] = [];
        for (let i = 0; i <= 40; i++) {
          const x = -R + (2 * R * i) / 40;
          pts.push([x, y + 1.6 * Math.sin(x / 6)]);
        }
        for (let i = 40; i >= 0; i--) pts.push([pts[i]![0], pts[i]![1] + 2]);
        waves.push(new k.CrossSection(pts));
      }
      cut = k.CrossSection.union(waves).intersect(field);
    } else cut = field;
    const depth = Math.min(1.2, t / 3);
    const solid = base.extrude(t).subtract(cut.extrude(depth + 1).translate([0, 0, t - depth]));
    return {
      parts: [{ name: 'coaster', solid, genus: 0 }],
      round: shape === 'round',
      ornate: pattern !== 'plain-rim',
      tags: [pattern, shape],
    };
  },
  describe: (p) => `${str(p, 'shape')} ${str(p, 'pattern').replace('-', ' ')}`,
};

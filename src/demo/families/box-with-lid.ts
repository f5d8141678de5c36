/** Boxes with lids: a hollow box and a friction-fit lid with a lip, printed side by side. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import { outline, roundedRect } from '../shapes.js';

export const boxWithLid: Family = {
  id: 'box-with-lid',
  noun: 'box with lid',
  tags: ['box', 'storage', 'organizer', 'lid'],
  params: {
    style: { options: ['rounded', 'square', 'hex'] },
    width: { min: 35, max: 95 },
    depth: { min: 30, max: 90 },
    height: { min: 20, max: 70 },
    wall: { min: 1.6, max: 3 },
    corner: { min: 2, max: 10 },
    dividers: { min: 0, max: 2, int: true },
  },
  traitPriors: { round: 0.35, large: 0.2, small: 0.05 },
  build(k, p) {
    const style = str(p, 'style');
    const w = num(p, 'width');
    const d = Math.min(num(p, 'depth'), w);
    const h = num(p, 'height');
    const wall = num(p, 'wall');
    const base =
      style === 'hex' ? outline(k, 'hex', w / 2) : roundedRect(k, w, d, style === 'rounded' ? num(p, 'corner') : 0.5);
    const box = base.extrude(h).subtract(base.offset(-wall, 'Round', 2, 24).extrude(h).translate([0, 0, wall]));
    let body = box;
    const n = num(p, 'dividers');
    for (let i = 1; i <= n; i++) {
      const x = -w / 2 + (w * i) / (n + 1);
      body = body.add(
        k.Manifold.cube([wall * 0.8, d, h * 0.8])
          .translate([x - wall * 0.4, -d / 2, 0])
          .intersect(base.extrude(h)),
      );
    }
    const grip = Math.min(w, d) * 0.15;
    const recess = k.Manifold.cylinder(wall * 0.5 + 1, grip, grip, 48).translate([0, 0, -1]);
    const lipOutline = base.offset(-wall - 0.3, 'Round', 2, 24);
    const lid = base
      .extrude(wall)
      .add(
        lipOutline.extrude(wall + 4).subtract(
          lipOutline
            .offset(-wall, 'Round', 2, 24)
            .extrude(wall + 6)
            .translate([0, 0, wall]),
        ),
      )
      .subtract(recess);
    return {
      parts: [
        { name: 'box', solid: body, genus: 0 },
        { name: 'lid', solid: lid, genus: 0 },
      ],
      round: style === 'rounded',
    };
  },
  describe: (p) => `${str(p, 'style')} ${Math.round(num(p, 'width'))} mm`,
};

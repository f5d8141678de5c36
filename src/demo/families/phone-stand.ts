/** Phone stands: a side profile (base, leaning back rest, front lip) extruded to width, with cable slot or windows. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';

export const phoneStand: Family = {
  id: 'phone-stand',
  noun: 'phone stand',
  tags: ['phone-stand', 'desk', 'functional', 'gadget'],
  params: {
    style: { options: ['solid', 'cable-slot', 'windowed'] },
    width: { min: 55, max: 90 },
    angle: { min: 55, max: 75 },
    depth: { min: 60, max: 100 },
    thickness: { min: 4, max: 8 },
    lip: { min: 8, max: 15 },
  },
  traitPriors: { large: 0.2, holed: 0.4 },
  build(k, p) {
    const style = str(p, 'style');
    const w = num(p, 'width');
    const a = (num(p, 'angle') * Math.PI) / 180;
    const d = num(p, 'depth');
    const t = num(p, 'thickness');
    const lip = num(p, 'lip');
    const x0 = t + 10;
    const rest = Math.min((d - x0) / Math.cos(a), d * 1.3);
    // The back rest rises from behind the phone slot at `angle`; a strut joins its middle to the back of the base.
    const back = k.CrossSection.square([rest, t])
      .rotate(num(p, 'angle'))
      .translate([x0 + t, 0]);
    const mid: [number, number] = [x0 + rest * Math.cos(a) * 0.55, rest * Math.sin(a) * 0.55];
    const brace = k.CrossSection.hull([
      k.CrossSection.square([t, t]).translate([d - t, 0]),
      k.CrossSection.circle(t / 2, 24).translate(mid),
    ]);
    let profile = k.CrossSection.square([d, t])
      .add(back)
      .add(brace)
      .add(k.CrossSection.square([t, lip]))
      .intersect(k.CrossSection.square([d, 200]))
      .offset(-1.5, 'Round', 2, 32)
      .offset(1.5, 'Round', 2, 32);
    if (style === 'cable-slot') {
      profile = profile.subtract(k.CrossSection.square([x0 - t, t * 0.6]).translate([t, t * 0.4]));
    }
    let solid = profile.extrude(w).rotate([90, 0, 0]);
    if (style === 'windowed') {
      const r = Math.min(w * 0.18, rest * 0.15);
      const window = k.Manifold.cylinder(60, r, r, 48, true).rotate([0, 90 - num(p, 'angle'), 0]);
      solid = solid.subtract(window.translate([x0 + rest * Math.cos(a) * 0.78, -w / 2, rest * Math.sin(a) * 0.78]));
    }
    return { parts: [{ name: 'stand', solid }], round: false, tags: [style] };
  },
  describe: (p) => `${str(p, 'style')} ${Math.round(num(p, 'angle'))}°`,
};

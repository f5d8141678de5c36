/** Small constructive-geometry helpers shared by the demo families (2D outlines, holes, hollowing). */
import type { Kernel, Section, Solid } from './kernel.js';

type Vec2 = [number, number];

/**
 * Outline vertices closer than this are merged: round offsets can leave arc points a float32 ulp apart, which become
 * duplicate vertices (non-manifold edges) once the mesh is written in single precision.
 */
export const SECTION_EPS = 0.01;

/** A regular polygon outline with `sides` corners on a circle of `radius` (first corner on +x). */
export function polygonPoints(sides: number, radius: number, phaseDeg = 0): Vec2[] {
  const pts: Vec2[] = [];
  for (let i = 0; i < sides; i++) {
    const a = ((phaseDeg + (360 * i) / sides) * Math.PI) / 180;
    pts.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return pts;
}

/** A star outline alternating between `outer` and `inner` radii. */
export function starPoints(points: number, outer: number, inner: number): Vec2[] {
  const pts: Vec2[] = [];
  for (let i = 0; i < points * 2; i++) {
    const a = (Math.PI * i) / points;
    const r = i % 2 === 0 ? outer : inner;
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return pts;
}

/** A centred outline by style: 'round' (circle), 'hex', 'oct', 'square', 'tri' — all with circumradius `r`. */
export function outline(k: Kernel, style: string, r: number): Section {
  switch (style) {
    case 'hex':
      return new k.CrossSection(polygonPoints(6, r, 30));
    case 'oct':
      return new k.CrossSection(polygonPoints(8, r, 22.5));
    case 'square':
      return roundedRect(k, r * Math.SQRT2, r * Math.SQRT2, r * 0.12);
    case 'tri':
      return new k.CrossSection(polygonPoints(3, r, 90)).offset(r * 0.15, 'Round', 2, 24).simplify(SECTION_EPS);
    default:
      return k.CrossSection.circle(r, 64);
  }
}

/** A centred rectangle w × d with rounded corners of radius `corner` (0 = sharp). */
export function roundedRect(k: Kernel, w: number, d: number, corner: number): Section {
  const c = Math.max(0, Math.min(corner, w / 2 - 0.5, d / 2 - 0.5));
  if (c < 0.2) return k.CrossSection.square([w, d], true);
  return k.CrossSection.square([w - 2 * c, d - 2 * c], true)
    .offset(c, 'Round', 2, 24)
    .simplify(SECTION_EPS);
}

/** A vertical cylinder through everything from z = -1 to `height` + 1, for drilling holes. */
export function drill(k: Kernel, x: number, y: number, radius: number, height: number, segments = 24): Solid {
  return k.Manifold.cylinder(height + 2, radius, radius, segments).translate([x, y, -1]);
}

/** A cylinder along the x axis centred on (y, z), long enough to cross a part of `length`. */
export function drillX(k: Kernel, y: number, z: number, radius: number, length: number, segments = 24): Solid {
  return k.Manifold.cylinder(length + 2, radius, radius, segments, true)
    .rotate([0, 90, 0])
    .translate([0, y, z]);
}

/**
 * A cup: the outline extruded to `height`, minus the same outline shrunk by `wall` from `floor` upwards. Outer and
 * inner both run past the rim and are cut there together: letting the inner pierce the outer's top face leaves
 * zero-area slivers that are not watertight once written in float32.
 */
export function cup(outer: Section, height: number, wall: number, floor: number, scaleTop = 1): Solid {
  const over = 1.2;
  const tall = (s: Section) => s.extrude(height * over, 0, 0, 1 + (scaleTop - 1) * over);
  const inner = tall(outer.offset(-wall, 'Round', 2, 24).simplify(SECTION_EPS)).trimByPlane([0, 0, 1], floor);
  return tall(outer).subtract(inner).trimByPlane([0, 0, -1], -height);
}

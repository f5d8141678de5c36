/** Chess pieces: turned (revolved) profiles for pawn, rook, bishop, queen and king, with cut or added details. */
import type { Family } from '../family.js';
import { num, str } from '../family.js';
import type { Kernel, Solid } from '../kernel.js';
import { polygonPoints } from '../shapes.js';

/** Profiles as (radius, height) pairs for a piece of height 1 and base radius ≈ 0.3. */
const PROFILES: Record<string, [number, number][]> = {
  pawn: [
    [0.3, 0],
    [0.3, 0.08],
    [0.22, 0.12],
    [0.12, 0.2],
    [0.09, 0.5],
    [0.16, 0.55],
    [0.08, 0.6],
  ],
  rook: [
    [0.3, 0],
    [0.3, 0.08],
    [0.22, 0.13],
    [0.16, 0.25],
    [0.15, 0.75],
    [0.21, 0.8],
    [0.21, 1],
  ],
  bishop: [
    [0.3, 0],
    [0.3, 0.07],
    [0.2, 0.12],
    [0.1, 0.25],
    [0.08, 0.55],
    [0.15, 0.6],
    [0.08, 0.64],
  ],
  queen: [
    [0.32, 0],
    [0.32, 0.07],
    [0.22, 0.12],
    [0.11, 0.3],
    [0.08, 0.6],
    [0.17, 0.7],
    [0.1, 0.72],
    [0.2, 0.9],
    [0.2, 0.95],
  ],
  king: [
    [0.32, 0],
    [0.32, 0.07],
    [0.22, 0.12],
    [0.11, 0.3],
    [0.08, 0.62],
    [0.17, 0.7],
    [0.1, 0.73],
    [0.16, 0.85],
    [0.16, 0.88],
  ],
};

function top(k: Kernel, piece: string, h: number): Solid | undefined {
  switch (piece) {
    case 'pawn':
      return k.Manifold.sphere(0.15 * h, 48).translate([0, 0, 0.7 * h]);
    case 'bishop':
      return k.Manifold.sphere(0.13 * h, 48)
        .scale([1, 1, 1.5])
        .translate([0, 0, 0.76 * h])
        .add(k.Manifold.sphere(0.035 * h, 24).translate([0, 0, 0.97 * h]));
    case 'king':
      return k.Manifold.cube([0.05 * h, 0.05 * h, 0.16 * h], true)
        .add(k.Manifold.cube([0.14 * h, 0.05 * h, 0.05 * h], true).translate([0, 0, 0.03 * h]))
        .translate([0, 0, 0.94 * h]);
    case 'queen': {
      let crown = k.Manifold.sphere(0.06 * h, 24).translate([0, 0, 0.98 * h]);
      for (const [x, y] of polygonPoints(8, 0.19 * h))
        crown = crown.add(k.Manifold.sphere(0.035 * h, 16).translate([x, y, 0.96 * h]));
      return crown;
    }
    default:
      return undefined;
  }
}

export const chessPiece: Family = {
  id: 'chess-piece',
  noun: 'chess piece',
  tags: ['chess', 'game', 'tabletop', 'miniature'],
  params: {
    piece: { options: ['pawn', 'rook', 'bishop', 'queen', 'king'] },
    height: { min: 35, max: 100 },
    girth: { min: 0.85, max: 1.2 },
    segments: { options: ['faceted', 'smooth'] },
  },
  traitPriors: { tall: 0.9, round: 0.8, ornate: 0.7, small: 0.3 },
  build(k, p) {
    const piece = str(p, 'piece');
    const h = num(p, 'height');
    const g = num(p, 'girth');
    const segs = str(p, 'segments') === 'faceted' ? 8 : 64;
    const pts = PROFILES[piece]!.map(([r, z]) => [r * h * g, z * h] as [number, number]);
    const last = pts[pts.length - 1]!;
    let solid = k.Manifold.revolve(new k.CrossSection([[0, 0], ...pts, [0, last[1]]]), segs);
    const extra = top(k, piece, h);
    if (extra) solid = solid.add(extra);
    if (piece === 'rook') {
      for (let i = 0; i < 3; i++) {
        solid = solid.subtract(
          k.Manifold.cube([0.5 * h * g, 0.06 * h, 0.1 * h], true)
            .rotate([0, 0, i * 60])
            .translate([0, 0, h]),
        );
      }
    }
    if (piece === 'bishop')
      solid = solid.subtract(
        k.Manifold.cube([0.3 * h, 0.025 * h, 0.12 * h], true)
          .rotate([0, 35, 0])
          .translate([0.08 * h, 0, 0.82 * h]),
      );
    return { parts: [{ name: piece, solid, genus: 0 }], round: segs > 8, ornate: piece !== 'pawn', tags: [piece] };
  },
  describe: (p) => `${str(p, 'segments')} ${str(p, 'piece')}`,
};

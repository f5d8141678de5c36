/**
 * A slicer's view of a mesh without building contours: for every layer, the length of the cross-section's outline
 * and its area, plus the horizontal skin area (top and bottom surfaces) each layer lies under or over.
 *
 * Each face crossing a layer's mid-plane contributes one segment. Its length adds to the outline; oriented along
 * ẑ × n (counter-clockwise around solid material seen from above, for outward winding), its shoelace term
 * (x₀y₁ − x₁y₀)/2 adds to the signed area — so the area of every island and hole comes out right without chaining
 * segments into loops. Up- and down-facing faces add their projected (horizontal) area to the layers their z range
 * covers, in proportion. Linear in the number of (face, layer) crossings.
 *
 * A mesh taller than MAX_LAYERS layers (40 m at 0.2 mm: no printer's build volume, but a file with absurd
 * coordinates has one) is cut into MAX_LAYERS thicker layers instead, so its estimate stays finite and its arrays
 * small; `heightMm` says how thick they are.
 */

export const MAX_LAYERS = 200_000;

export interface LayerOptions {
  layerHeightMm: number;
  /** Height of the first layer (default: layerHeightMm). */
  firstLayerHeightMm?: number;
}

export interface LayerProfile {
  /** Number of layers. */
  layers: number;
  /** Layer thickness per layer, mm. */
  heightMm: Float64Array;
  /** Outline length of the cross-section at each layer's mid-plane, mm. */
  perimeterMm: Float64Array;
  /** Cross-section area at each layer's mid-plane, mm² (negative for an inside-out mesh). */
  areaMm2: Float64Array;
  /** Projected area of upward faces within each layer's z range (top skins), mm². */
  upMm2: Float64Array;
  /** Projected area of downward faces within each layer's z range (bottom skins, the bed face included), mm². */
  downMm2: Float64Array;
}

/** Slices `positions`/`indices` (mm, +Z up; the lowest vertex is the bed) into layers; see the module comment. */
export function layerProfile(positions: Float32Array, indices: Uint32Array, options: LayerOptions): LayerProfile {
  let h = options.layerHeightMm;
  let h0 = options.firstLayerHeightMm ?? h;
  let zMin = Number.POSITIVE_INFINITY;
  let zMax = Number.NEGATIVE_INFINITY;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < indices.length; i++) {
    const z = positions[3 * indices[i]! + 2]!;
    if (z < zMin) zMin = z;
    if (z > zMax) zMax = z;
    cx += positions[3 * indices[i]!]! / indices.length;
    cy += positions[3 * indices[i]! + 1]! / indices.length;
  }
  const height = indices.length > 0 ? zMax - zMin : 0;
  if (height > h0 + (MAX_LAYERS - 1) * h) {
    h = height / MAX_LAYERS;
    h0 = h;
  }
  const layers = height <= 0 ? 0 : height <= h0 ? 1 : 1 + Math.ceil((height - h0) / h - 1e-9);
  const top = (i: number): number => (i === 0 ? h0 : h0 + i * h); // top of layer i above the bed
  const layerOf = (z: number): number => (z <= h0 ? 0 : Math.min(layers - 1, 1 + Math.floor((z - h0) / h)));
  const out: LayerProfile = {
    layers,
    heightMm: Float64Array.from({ length: layers }, (_, i) => (i === 0 ? h0 : h)),
    perimeterMm: new Float64Array(layers),
    areaMm2: new Float64Array(layers),
    upMm2: new Float64Array(layers),
    downMm2: new Float64Array(layers),
  };
  if (layers === 0) return out;
  // The slicing plane is the layer's middle, kept just below the top of the part (a last layer sticking out).
  const mid = (i: number): number => Math.min(top(i) - out.heightMm[i]! / 2, height * (1 - 1e-9));
  const p = positions;
  for (let f = 0; f < indices.length; f += 3) {
    let a = indices[f]! * 3;
    let b = indices[f + 1]! * 3;
    let c = indices[f + 2]! * 3;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx; // = 2 × projected area, signed
    // Sort corners by z: a lowest, c highest.
    if (p[a + 2]! > p[b + 2]!) [a, b] = [b, a];
    if (p[b + 2]! > p[c + 2]!) [b, c] = [c, b];
    if (p[a + 2]! > p[b + 2]!) [a, b] = [b, a];
    const za = p[a + 2]! - zMin;
    const zb = p[b + 2]! - zMin;
    const zc = p[c + 2]! - zMin;
    // Skins: spread the projected area over the layers the face spans.
    if (nz !== 0) {
      const skin = nz > 0 ? out.upMm2 : out.downMm2;
      const proj = Math.abs(nz) / 2;
      const l0 = layerOf(za);
      const l1 = layerOf(zc);
      if (l0 === l1 || zc - za < 1e-9) skin[l0]! += proj;
      else {
        for (let i = l0; i <= l1; i++) {
          const lo = Math.max(za, i === 0 ? 0 : top(i - 1));
          const hi = Math.min(zc, top(i));
          if (hi > lo) skin[i]! += (proj * (hi - lo)) / (zc - za);
        }
      }
    }
    if (zc - za <= 0) continue;
    // Outline segments at the mid-planes the face crosses.
    const dx = -ny; // ẑ × n = (−ny, nx, 0)
    const dy = nx;
    for (let i = layerOf(za); i < layers; i++) {
      const z = mid(i);
      if (z >= zc) break;
      if (z < za) continue;
      const s = (z - za) / (zc - za); // along a → c
      const x0 = p[a]! + s * (p[c]! - p[a]!);
      const y0 = p[a + 1]! + s * (p[c + 1]! - p[a + 1]!);
      let x1: number;
      let y1: number;
      if (z < zb) {
        const t = (z - za) / (zb - za);
        x1 = p[a]! + t * (p[b]! - p[a]!);
        y1 = p[a + 1]! + t * (p[b + 1]! - p[a + 1]!);
      } else {
        const t = zc - zb > 0 ? (z - zb) / (zc - zb) : 0;
        x1 = p[b]! + t * (p[c]! - p[b]!);
        y1 = p[b + 1]! + t * (p[c + 1]! - p[b + 1]!);
      }
      const ex = x1 - x0;
      const ey = y1 - y0;
      out.perimeterMm[i]! += Math.sqrt(ex * ex + ey * ey);
      // Shoelace about the corners' mean, to keep float cancellation small far from the origin.
      const cross = (x0 - cx) * (y1 - cy) - (x1 - cx) * (y0 - cy);
      out.areaMm2[i]! += (ex * dx + ey * dy >= 0 ? cross : -cross) / 2;
    }
  }
  return out;
}

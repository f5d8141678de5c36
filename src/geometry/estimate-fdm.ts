/**
 * FDM print time and filament from a layer profile (layers.ts), the way a slicer spends them, in closed form:
 *
 * per layer i (height hᵢ, outline Pᵢ, area Aᵢ):
 *   shell Sᵢ = min(Aᵢ, perimeters × w × Pᵢ), interior Iᵢ = Aᵢ − Sᵢ,
 *   solid Dᵢ = min(Iᵢ, top skins over the next `topLayers` layers + bottom skins over the last `bottomLayers`),
 *   sparse Fᵢ = Iᵢ − Dᵢ (printed at the infill density);
 * paths: external perimeter Pᵢ (capped at Aᵢ / w for walls thinner than the perimeters), inner perimeters
 * (perimeters − 1) × Pᵢ, solid Dᵢ / w, sparse infill × Fᵢ / w, each at its speed (the first layer at the first-layer
 * speed); a layer shorter than the cooling minimum is slowed down to it.
 *
 * Time = Σ cₖ × featureₖ, with features (seconds at nominal speed) external, inner, solid, sparse, first layer,
 * cooling slow-down, and a per-layer constant (travel, retraction, layer change). Filament = Σ hᵢ × (vₛ Sᵢ + v_d Dᵢ
 * + v_f × infill × Fᵢ). The coefficients are fitted to PrusaSlicer 2.5 on the Voron and demo parts with matched
 * settings (bench/printability; the fit and holdout figures are in bench/RESULTS.md). Speeds enter as the profile's
 * own, so another printer's speeds change the estimate the way they change a slicer's.
 */
import type { LayerProfile } from './layers.js';

export interface FdmSpeeds {
  /** mm/s */
  perimeter: number;
  externalPerimeter: number;
  infill: number;
  solidInfill: number;
  firstLayer: number;
}

export interface FdmSettings {
  lineWidthMm: number;
  layerHeightMm: number;
  firstLayerHeightMm: number;
  perimeters: number;
  topLayers: number;
  bottomLayers: number;
  /** Sparse infill density 0..1. */
  infill: number;
  speeds: FdmSpeeds;
  /** A layer printed faster than this is slowed down for cooling, s. */
  minLayerSeconds: number;
}

/** The settings of bench/printability/profile.ini (PrusaSlicer defaults for a 0.4 mm nozzle, PLA, 0.2 mm layers). */
export const GENERIC_FDM_SETTINGS: FdmSettings = {
  lineWidthMm: 0.45,
  layerHeightMm: 0.2,
  firstLayerHeightMm: 0.2,
  perimeters: 2,
  topLayers: 4,
  bottomLayers: 3,
  infill: 0.15,
  speeds: { perimeter: 45, externalPerimeter: 25, infill: 80, solidInfill: 40, firstLayer: 20 },
  minLayerSeconds: 5,
};

export interface FdmFeatures {
  layers: number;
  /** Seconds at nominal speed per path kind. */
  externalS: number;
  innerS: number;
  solidS: number;
  sparseS: number;
  firstLayerS: number;
  /** Extra seconds to bring short layers up to the cooling minimum. */
  coolingS: number;
  /** Deposited volume per kind, mm³. */
  shellMm3: number;
  solidMm3: number;
  sparseMm3: number;
}

export interface FdmCoefficients {
  time: {
    external: number;
    inner: number;
    solid: number;
    sparse: number;
    firstLayer: number;
    cooling: number;
    perLayerS: number;
  };
  volume: { shell: number; solid: number; sparse: number };
}

/**
 * Fitted on bench/printability (see bench/RESULTS.md for the split, the fit and the holdout errors). Multipliers of
 * the nominal-speed times (acceleration, short segments and travel make real moves slower) and of the volumes.
 */
export const FDM_COEFFICIENTS: FdmCoefficients = {
  time: {
    external: 0.5352,
    inner: 2.852,
    solid: 1.207,
    sparse: 0.7779,
    firstLayer: 1.263,
    cooling: 0.1625,
    perLayerS: 2.549,
  },
  volume: { shell: 1.077, solid: 1.045, sparse: 1.089 },
};

/** The features of one layer profile under the given settings (see module comment). */
export function fdmFeatures(lp: LayerProfile, s: FdmSettings): FdmFeatures {
  const n = lp.layers;
  const w = s.lineWidthMm;
  const f: FdmFeatures = {
    layers: n,
    externalS: 0,
    innerS: 0,
    solidS: 0,
    sparseS: 0,
    firstLayerS: 0,
    coolingS: 0,
    shellMm3: 0,
    solidMm3: 0,
    sparseMm3: 0,
  };
  // Running window sums of the skins: top skins of layers i..i+top−1, bottom skins of i−bottom+1..i.
  let topSum = 0;
  for (let j = 0; j < Math.min(n, s.topLayers); j++) topSum += lp.upMm2[j]!;
  let bottomSum = 0;
  for (let i = 0; i < n; i++) {
    bottomSum += lp.downMm2[i]!;
    if (i - s.bottomLayers >= 0) bottomSum -= lp.downMm2[i - s.bottomLayers]!;
    const area = Math.max(0, Math.abs(lp.areaMm2[i]!));
    const outline = lp.perimeterMm[i]!;
    const shell = Math.min(area, s.perimeters * w * outline);
    const interior = area - shell;
    // Full infill is solid infill (slicers switch pattern and speed at 100 %).
    const solid = s.infill >= 0.999 ? interior : Math.min(interior, Math.max(0, topSum + bottomSum));
    const sparse = interior - solid;
    const h = lp.heightMm[i]!;
    f.shellMm3 += h * shell;
    f.solidMm3 += h * solid;
    f.sparseMm3 += h * s.infill * sparse;
    // Paths: a wall thinner than the perimeters is filled by as much path as its area allows.
    const external = Math.min(outline, area / w);
    const inner = Math.max(0, shell / w - external);
    const solidPath = solid / w;
    const sparsePath = (s.infill * sparse) / w;
    let t: number;
    if (i === 0) {
      t = (external + inner + solidPath + sparsePath) / s.speeds.firstLayer;
      f.firstLayerS += t;
    } else {
      const te = external / s.speeds.externalPerimeter;
      const ti = inner / s.speeds.perimeter;
      const td = solidPath / s.speeds.solidInfill;
      const tf = sparsePath / s.speeds.infill;
      f.externalS += te;
      f.innerS += ti;
      f.solidS += td;
      f.sparseS += tf;
      t = te + ti + td + tf;
    }
    if (t > 0 && t < s.minLayerSeconds) f.coolingS += s.minLayerSeconds - t;
    // Slide the top window: drop layer i, add layer i + top.
    topSum -= lp.upMm2[i]!;
    if (i + s.topLayers < n) topSum += lp.upMm2[i + s.topLayers]!;
  }
  return f;
}

export interface FdmEstimate {
  seconds: number;
  filamentMm3: number;
}

/** Time and filament volume from features and coefficients. */
export function fdmEstimate(f: FdmFeatures, c: FdmCoefficients = FDM_COEFFICIENTS): FdmEstimate {
  const t = c.time;
  const seconds =
    t.external * f.externalS +
    t.inner * f.innerS +
    t.solid * f.solidS +
    t.sparse * f.sparseS +
    t.firstLayer * f.firstLayerS +
    t.cooling * f.coolingS +
    t.perLayerS * f.layers;
  const v = c.volume;
  return { seconds, filamentMm3: v.shell * f.shellMm3 + v.solid * f.solidMm3 + v.sparse * f.sparseMm3 };
}

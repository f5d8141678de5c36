/**
 * Retrieval evaluation of shape encoders (`layerwise eval-shapes`): every encoder is fitted on the unlabelled
 * shapes (labels are never shown to training), every shape queries all others, and the Princeton Shape Benchmark
 * metrics are reported overall, per class, and for two disjoint halves of the classes (a generalisation check:
 * hyper-parameters are tuned looking only at the `tuning` half; the `held-out` half must score within 10%). With
 * `fitOn: 'tuning'` the encoders are also fitted on the meshes of the tuning half only, so the held-out families are
 * unseen by training as well as by tuning (labels only choose which meshes train; training never sees them).
 */
import { LayerwiseError } from '../../core/errors.js';
import { hashString } from '../../core/rng.js';
import {
  createShapeEncoder,
  evaluateRetrieval,
  type RetrievalMetrics,
  SHAPE_ENCODERS,
  type ShapeEncoderName,
} from '../../models/shape/index.js';
import type { ShapeDataset } from './dataset.js';

export interface EncoderEvaluation {
  encoder: ShapeEncoderName;
  dim: number;
  overall: RetrievalMetrics;
  perClass: Record<string, RetrievalMetrics>;
  /** Metrics over the queries of each half of the classes (see `classSplit`). */
  splits: { tuning: RetrievalMetrics; heldOut: RetrievalMetrics };
  fitSeconds: number;
  /** Meshes the encoder was fitted on (all, or the tuning half's). */
  fitShapes: number;
  epochs: number;
  secondsPerEpoch: number | null;
  embedSeconds: number;
  meshesPerSecond: number;
}

/** The half a class belongs to: a stable hash of its name (so the split never depends on the data order). */
export function classSplit(label: string): 'tuning' | 'heldOut' {
  return hashString(label) % 2 === 0 ? 'tuning' : 'heldOut';
}

function combine(perClass: Map<string, RetrievalMetrics>, keep: (label: string) => boolean): RetrievalMetrics {
  const t: RetrievalMetrics = { map: 0, nn: 0, ft: 0, st: 0, dcg: 0, queries: 0 };
  for (const [label, m] of perClass) {
    if (!keep(label)) continue;
    for (const k of ['map', 'nn', 'ft', 'st', 'dcg'] as const) t[k] += m[k] * m.queries;
    t.queries += m.queries;
  }
  const d = Math.max(1, t.queries);
  return { map: t.map / d, nn: t.nn / d, ft: t.ft / d, st: t.st / d, dcg: t.dcg / d, queries: t.queries };
}

export interface EvaluateShapesOptions {
  encoders?: readonly ShapeEncoderName[];
  /** Per-encoder config overrides, e.g. `{ pointnet: { epochs: 5 } }`. */
  configs?: Partial<Record<ShapeEncoderName, Record<string, unknown>>>;
  seed?: number;
  /** Fit on every mesh (default) or on the meshes of the tuning half of the classes only. */
  fitOn?: 'all' | 'tuning';
  onStage?: (encoder: ShapeEncoderName, stage: 'fit' | 'embed' | 'done', detail?: string) => void;
}

/** Fits and evaluates each encoder on a prepared dataset. */
export function evaluateShapeEncoders(data: ShapeDataset, options: EvaluateShapesOptions = {}): EncoderEvaluation[] {
  const out: EncoderEvaluation[] = [];
  const train =
    options.fitOn === 'tuning' ? data.shapes.filter((_, i) => classSplit(data.labels[i]!) === 'tuning') : data.shapes;
  if (train.length < 2) {
    throw new LayerwiseError('invalid_argument', `the tuning half has ${train.length} meshes; need at least 2 to fit`);
  }
  for (const name of options.encoders ?? SHAPE_ENCODERS) {
    const encoder = createShapeEncoder(name, options.configs?.[name]);
    options.onStage?.(name, 'fit');
    const fit = encoder.fit(
      train,
      options.seed === undefined
        ? { onEpoch: (e, l) => options.onStage?.(name, 'fit', `epoch ${e + 1} loss ${l.toFixed(4)}`) }
        : { seed: options.seed },
    );
    options.onStage?.(name, 'embed');
    const t0 = performance.now();
    const embeddings = data.shapes.map((s) => encoder.embedShape(s));
    const embedSeconds = (performance.now() - t0) / 1000;
    const r = evaluateRetrieval(embeddings, data.labels);
    out.push({
      encoder: name,
      dim: encoder.dim,
      overall: r.overall,
      perClass: Object.fromEntries(r.perClass),
      splits: {
        tuning: combine(r.perClass, (l) => classSplit(l) === 'tuning'),
        heldOut: combine(r.perClass, (l) => classSplit(l) === 'heldOut'),
      },
      fitSeconds: fit.seconds,
      fitShapes: train.length,
      epochs: fit.epochs,
      secondsPerEpoch: fit.epochs > 0 ? fit.seconds / fit.epochs : null,
      embedSeconds,
      meshesPerSecond: embedSeconds > 0 ? data.shapes.length / embedSeconds : 0,
    });
    options.onStage?.(name, 'done');
  }
  return out;
}

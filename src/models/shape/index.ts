/** Shape understanding models: the `ShapeEncoder` role, its implementations, and retrieval metrics. */
export { D2Encoder } from './d2-encoder.js';
export { DescriptorEncoder } from './descriptor-encoder.js';
export {
  type FitOptions,
  type FitReport,
  PREPARE_OPTIONS,
  type ShapeEncoder,
  type ShapeEncoderName,
  type ShapeInput,
  toPrepared,
} from './encoder.js';
export {
  invariantDifference,
  isNearDuplicate,
  NEAR_DUPLICATE_THRESHOLDS,
  type NearDuplicateThresholds,
  nearDuplicateDistance,
} from './near-duplicates.js';
export { PointNetEncoder } from './pointnet-encoder.js';
export {
  createShapeEncoder,
  DEFAULT_SHAPE_ENCODER,
  describeShapeEncoder,
  isShapeEncoderName,
  loadShapeEncoder,
  SHAPE_ENCODERS,
} from './registry.js';
export { type EvaluationResult, evaluateRetrieval, queryMetrics, type RetrievalMetrics } from './retrieval-metrics.js';
export { SdaEncoder } from './sda-encoder.js';

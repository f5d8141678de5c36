/** The public library surface of layerwise (curated: only what integrators need). */

export { createVectorIndex, type Neighbor, type VectorIndex, type VectorIndexKind } from './ann/index.js';
// Store and ingest: one Store port (SQLite by default, PostgreSQL via databaseUrl), config, model/event ingest.
export { type Config, loadConfig } from './app/config.js';
export { type IngestEventsSummary, ingestEvents } from './app/ingest/events.js';
export { type IngestModelsSummary, ingestModels } from './app/ingest/models.js';
export { computeEmbeddings, embedMesh, loadLibraryEncoder } from './app/shapes/embed.js';
export { findSimilar, type SimilarHit } from './app/shapes/search.js';
export { openStore } from './app/store.js';
export { type ErrorCode, LayerwiseError, type Result } from './core/errors.js';
export type { Mesh, MeshFormat, MeshGroup, MeshWarning } from './core/mesh.js';
export type { MaterialOptions, PrintabilityReport, PrinterProfile } from './core/printability.js';
export { Rng } from './core/rng.js';
export { runExperiment } from './eval/experiment.js';
// Printability: one report per mesh (topology, size, overhangs, build-volume fit, mass, time); printer profiles.
export { type AnalyzeOptions, analyzeMesh } from './geometry/analyze.js';
// Shape understanding: sampling + descriptors, thumbnails, shape encoders (one interface), vector indexes, search.
export { type PreparedShape, prepareShape } from './geometry/descriptors-features.js';
export { getPrinter, PRINTERS, parsePrinterProfile } from './geometry/printers.js';
export { renderThumbnail, type ThumbnailOptions } from './geometry/render-thumbnail.js';
export { type PointCloud, samplePoints } from './geometry/sample.js';
export {
  encode3mf,
  encodeObj,
  encodeOff,
  encodePly,
  encodeStlAscii,
  encodeStlBinary,
  type PlyEncodeOptions,
  type ThreeMfObject,
} from './io/encode.js';
export { detectFormat, parseMesh, safeParseMesh } from './io/parse.js';
export type { ParseOptions } from './io/parse-options.js';
export type { LengthUnit } from './io/units.js';
// Recommenders: one interface, a registry of kinds, artifacts that reload by kind; the offline evaluation harness.
export { type InteractionEvent, Interactions } from './models/interactions.js';
export type { Evidence, FitReport, HistoryEntry, Recommender, Scored } from './models/recommender.js';
export { createModel, loadRecommender, modelKinds } from './models/registry.js';
export {
  createShapeEncoder,
  evaluateRetrieval,
  isNearDuplicate,
  loadShapeEncoder,
  SHAPE_ENCODERS,
  type ShapeEncoder,
  type ShapeEncoderName,
} from './models/shape/index.js';
export type { EventInput, Item, ItemInput, Store, StoredEvent, StoreStats } from './store/ports.js';

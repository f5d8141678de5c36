/**
 * The named choices the product offers (model kinds, split protocols, shape encoders, vector indexes, event-file
 * formats), for the edges' help texts and validation: the CLI and API list them from here, never from the layers
 * below app.
 */
import { VECTOR_INDEX_KINDS, type VectorIndexKind } from '../ann/index.js';
import { PROTOCOLS, type ProtocolName } from '../eval/splits.js';
import { EVENT_FORMATS, type EventFormat } from '../io/events.js';
import { modelKinds, SERVING_MODEL_NAME } from '../models/registry.js';
import {
  DEFAULT_SHAPE_ENCODER,
  isShapeEncoderName,
  SHAPE_ENCODERS,
  type ShapeEncoderName,
} from '../models/shape/index.js';

export {
  DEFAULT_SHAPE_ENCODER,
  EVENT_FORMATS,
  type EventFormat,
  isShapeEncoderName,
  modelKinds,
  PROTOCOLS,
  type ProtocolName,
  SERVING_MODEL_NAME,
  SHAPE_ENCODERS,
  type ShapeEncoderName,
  VECTOR_INDEX_KINDS,
  type VectorIndexKind,
};

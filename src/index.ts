/** The public library surface of layerwise (curated: only what integrators need). */
export { type ErrorCode, LayerwiseError, type Result } from './core/errors.js';
export { Rng } from './core/rng.js';
export type { Mesh, MeshFormat, MeshGroup, MeshWarning } from './io/mesh.js';
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

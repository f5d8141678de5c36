/**
 * The embedder for uploaded meshes (POST /v1/items, POST /v1/search/shape): it must be the encoder whose vectors
 * the catalogue holds, restored from its fitted checkpoint (`shape-encoder-<name>` artifact, see src/app/shapes/embed.ts),
 * or shape search would compare vectors from different spaces.
 */
import { reportBackgroundError } from '../../core/errors.js';
import { loadShapeEncoder } from '../../models/shape/index.js';
import type { Store } from '../../store/ports.js';
import type { MeshEmbedder } from '../serve/files.js';
import {
  embedMesh,
  encoderArtifactName,
  loadLibraryEncoder,
  loadLibraryEncoderBytes,
  SHAPE_FEATURES,
} from './embed.js';

/**
 * The encoder serving shape similarity: `preferred` when given, else — of the stored embedding sets other than the
 * raw features — the one with the most vectors whose fitted encoder is active (else simply the largest set).
 */
export async function chooseShapeEncoder(store: Store, preferred?: string): Promise<string | undefined> {
  if (preferred !== undefined) return preferred;
  // not stats(): that counts every event (minutes of reading at 100 M events)
  const sets = Object.entries(await store.embeddingCounts())
    .filter(([name]) => name !== SHAPE_FEATURES)
    .sort((a, b) => b[1] - a[1]);
  for (const [name] of sets) if (await store.getActiveModel(encoderArtifactName(name), { payload: false })) return name;
  return sets[0]?.[0];
}

/** An embedder for `encoder`, or undefined when no fitted encoder is stored (shape upload routes then answer 503). */
export async function loadShapeEmbedder(
  store: Store,
  encoder: string | undefined,
  onError: (message: string, e: unknown) => void = reportBackgroundError,
): Promise<MeshEmbedder | undefined> {
  if (encoder === undefined) return undefined;
  const loaded = await loadLibraryEncoder(store, encoder).catch((e: unknown) => {
    onError(`could not load the "${encoder}" shape encoder checkpoint; shape upload routes answer 503`, e);
    return null;
  });
  if (loaded === null) return undefined;
  return (mesh) => embedMesh(mesh, loaded.encoder).vector;
}

/**
 * The checkpoint of `encoder`, checked to restore, for the server's mesh workers to embed uploads with (off the
 * request thread); undefined when none is stored or it does not restore (shape upload routes then answer 503).
 */
export async function loadShapeCheckpoint(
  store: Store,
  encoder: string | undefined,
  onError: (message: string, e: unknown) => void = reportBackgroundError,
): Promise<Uint8Array | undefined> {
  if (encoder === undefined) return undefined;
  const bytes = await loadLibraryEncoderBytes(store, encoder)
    .then((b) => {
      if (b !== null) loadShapeEncoder(b); // fails here, at start-up, rather than in every upload
      return b;
    })
    .catch((e: unknown) => {
      onError(`could not load the "${encoder}" shape encoder checkpoint; shape upload routes answer 503`, e);
      return null;
    });
  return bytes ?? undefined;
}

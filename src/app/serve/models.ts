/** Model services: list stored artifacts with metrics; activate one (load, then one atomic reference swap). */
import { LayerwiseError } from '../../core/errors.js';
import { SEQUENTIAL_MODEL_NAME } from '../../models/registry.js';
import type { ModelArtifact } from '../../store/ports.js';
import { isRecommenderArtifact, modelId, type ServingState } from './state.js';
import type { ModelInfo } from './types.js';

function info(a: ModelArtifact, servedId: string | null, sequentialId: string | null = null): ModelInfo {
  const active =
    a.name === SEQUENTIAL_MODEL_NAME
      ? sequentialId === null
        ? a.active
        : modelId(a) === sequentialId
      : servedId === null
        ? a.active
        : modelId(a) === servedId;
  return {
    id: modelId(a),
    name: a.name,
    kind: kindOf(a),
    version: a.version,
    createdAt: new Date(a.createdAt).toISOString(),
    active,
    configHash: a.configHash,
    metrics: (a.metrics ?? {}) as Record<string, unknown>,
    features: featuresOf(a),
  };
}

/** The content blocks a model reads, as train recorded them in its config (empty: behaviour only). */
function featuresOf(a: ModelArtifact): { name: string; dim: number }[] {
  const f = (a.config as { features?: unknown } | null)?.features;
  if (!Array.isArray(f)) return [];
  return f
    .filter((b): b is { name: string; dim: number } => typeof b?.name === 'string' && typeof b?.dim === 'number')
    .map((b) => ({ name: b.name, dim: b.dim }));
}

function kindOf(a: ModelArtifact): string {
  const c = a.config as { kind?: unknown } | null;
  return typeof c?.kind === 'string' ? c.kind : a.name;
}

/** Parses `name@version`. */
export function parseModelId(id: string): { name: string; version: number } {
  const at = id.lastIndexOf('@');
  const version = Number(id.slice(at + 1));
  if (at <= 0 || !Number.isInteger(version) || version < 1) {
    throw new LayerwiseError(
      'invalid_argument',
      `model id "${id}" must be name@version, e.g. ease@3 (see GET /v1/models)`,
    );
  }
  return { name: id.slice(0, at), version };
}

export class ModelService {
  /** Activations are serialised: the last request wins and none interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: ServingState) {}

  async list(): Promise<ModelInfo[]> {
    const served = this.state.model?.ref.id ?? null;
    const all = (await this.state.store.listModels()).filter(isRecommenderArtifact);
    const sequential = this.state.sequential?.ref.id ?? null;
    return all
      .sort((a, b) => a.name.localeCompare(b.name) || b.version - a.version)
      .map((a) => info(a, served, sequential));
  }

  activate(id: string): Promise<ModelInfo> {
    const { name, version } = parseModelId(id);
    if (!isRecommenderArtifact({ name })) {
      throw new LayerwiseError('invalid_argument', `${id} is a shape encoder, not a recommender; see GET /v1/models`);
    }
    const run = async (): Promise<ModelInfo> => {
      try {
        await this.state.activate(name, version);
      } catch (e) {
        if (e instanceof LayerwiseError && e.code !== 'not_found' && e.code !== 'invalid_argument') {
          throw new LayerwiseError('parse_error', `model ${id} could not be loaded: ${e.message}`, { cause: e });
        }
        throw e;
      }
      const a = await this.state.store.getModel(name, version, { payload: false });
      return info(a!, this.state.model?.ref.id ?? null, this.state.sequential?.ref.id ?? null);
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}

/**
 * Store ports for learning from live traffic (issue 21): impressions (what was shown, where, by which model and
 * experiment arm), A/B experiments, the promotion/rollback log of served models, and removal (unpublishing an item,
 * erasing a user) with a removal log that serving processes poll. Part of `Store` (src/store/ports.ts); plain data
 * like the rest of the ports: timestamps are ms since the epoch, JSON columns come back parsed.
 */

/** One item shown in one recommendation response. */
export interface ImpressionInput {
  /** Id of the recommendation response (returned to the client as `recommendationId`). */
  recommendationId: string;
  userId: string;
  itemId: string;
  /** 0-based rank in the response. */
  position: number;
  /** `name@version` of the model that ranked it, or null (cold start / popularity). */
  model: string | null;
  experiment: string | null;
  arm: string | null;
  timestamp: number;
}

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

/** An arm serves a model version (`recommender@3`; null = whatever is active) and/or serving rules. */
export interface ExperimentArm {
  name: string;
  model: string | null;
  /** Overrides of the recommendation rules for this arm (e.g. `{ supportPenalty: 1 }` turns the penalty off). */
  rules: Record<string, unknown> | null;
  /** Traffic share, > 0; shares are normalised over the arms. */
  share: number;
}

export interface Experiment {
  id: string;
  name: string;
  status: ExperimentStatus;
  arms: ExperimentArm[];
  /** Readout settings (primary metric, alpha, mixing variance, …) as stored by app/experiments. */
  settings: Record<string, unknown>;
  createdAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
}

export interface ExperimentInput {
  id: string;
  name: string;
  arms: ExperimentArm[];
  settings: Record<string, unknown>;
}

/**
 * Aggregated exposure of one user in one arm within one time bucket (bucket = ⌊(impression time − since) /
 * bucketMs⌋): items shown, and per event type the number of shown items that got at least one event of that type
 * carrying the response's recommendationId.
 */
export interface ArmUserStats {
  arm: string;
  userId: string;
  bucket: number;
  shown: number;
  hits: Record<string, number>;
}

export type ModelChangeAction = 'activate' | 'promote' | 'reject' | 'rollback' | 'prune';

export interface ModelChange {
  seq: number;
  name: string;
  version: number;
  action: ModelChangeAction;
  /** The version serving before the change (null when none). */
  previous: number | null;
  reason: string;
  details: unknown;
  at: number;
}

export type ModelChangeInput = Omit<ModelChange, 'seq' | 'at'> & { at?: number };

export type RemovalKind = 'item' | 'user';

export interface Removal {
  seq: number;
  kind: RemovalKind;
  id: string;
  at: number;
}

export interface RemoveItemResult {
  /** False when there was no such item (or it was already removed). */
  removed: boolean;
  /** Events deleted (0 unless purged). */
  events: number;
}

export interface EraseUserResult {
  /** False when the store knew nothing of the user. */
  erased: boolean;
  events: number;
  impressions: number;
}

export interface LiveStore {
  // Impressions
  /** Inserts impressions (multi-row, one transaction); returns the number written. */
  addImpressions(rows: ImpressionInput[]): Promise<number>;
  /** The items shown in one response, by position. */
  impressionsOf(recommendationId: string): Promise<ImpressionInput[]>;
  countImpressions(query?: { experiment?: string; userId?: string }): Promise<number>;

  // Experiments
  /** Throws `conflict` when the id exists. */
  createExperiment(input: ExperimentInput): Promise<Experiment>;
  getExperiment(id: string): Promise<Experiment | null>;
  listExperiments(): Promise<Experiment[]>;
  /** Changes status and times; throws `not_found` for an unknown id. */
  updateExperiment(
    id: string,
    patch: { status?: ExperimentStatus; startedAt?: number | null; stoppedAt?: number | null },
  ): Promise<Experiment>;
  /** Per (arm, user, time bucket) exposure and hits of an experiment, for its readout. */
  experimentStats(id: string, options: { since: number; bucketMs: number }): Promise<ArmUserStats[]>;

  // Model changes (promotion log) and pruning
  recordModelChange(change: ModelChangeInput): Promise<ModelChange>;
  listModelChanges(query?: { name?: string; limit?: number }): Promise<ModelChange[]>;
  /** Deletes one stored version (never the active one: `conflict`). Returns false when it did not exist. */
  deleteModel(name: string, version: number): Promise<boolean>;

  // Removal
  /**
   * Unpublishes an item: status `removed` (so `listItems` skips it and `addEvents` rejects new events on it), its
   * embeddings deleted, and its events deleted too with `purgeEvents`. Logged as a removal.
   */
  removeItem(id: string, options?: { purgeEvents?: boolean }): Promise<RemoveItemResult>;
  /** Erases a user: their events, impressions and row are deleted in one transaction. Logged as a removal. */
  eraseUser(id: string): Promise<EraseUserResult>;
  /** Removals after `afterSeq`, oldest first (serving processes poll this to drop removed data from memory). */
  removals(afterSeq?: number): Promise<Removal[]>;
}

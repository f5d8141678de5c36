/**
 * The one contract every recommender implements (shallow and deep): fit on interactions, recommend for a known user
 * or for an unseen user's history (fold-in: a new event changes the next recommendation without retraining), similar
 * items, explanations ("because you printed X"), and save/load of an artifact. External ids are strings; the
 * index-level `score*` methods are for the evaluation harness and batch jobs.
 */
import type { Interactions } from './interactions.js';

export interface Scored {
  item: string;
  score: number;
}

export interface RecommendOptions {
  /** Item ids never to return (in addition to the user's seen items). */
  exclude?: Iterable<string>;
  /** Exclude items the user already interacted with (default true). */
  excludeSeen?: boolean;
  /** Only items for which this returns true are returned. */
  filter?: (item: string) => boolean;
}

/** One past interaction of a user the model may not know (fold-in). Weight defaults to 1. */
export interface HistoryEntry {
  item: string;
  weight?: number;
}

/** A named column range of ItemFeatures (e.g. 'shape' at 0, 'tags' at 160). */
export interface FeatureBlock {
  name: string;
  offset: number;
  dim: number;
}

/**
 * Content features of items for hybrid models (cold start), as plain typed arrays: row r of `values` (`dim` numbers,
 * row-major) belongs to item `ids[r]` (shape embedding, hashed tokens, printability, creator, remix lineage; built
 * by buildItemFeatures in content.ts). Items without a row count as all zeros. Models that ignore content ignore it.
 */
export interface ItemFeatures {
  dim: number;
  ids: readonly string[];
  values: Float32Array;
  /** Which columns hold what (for reports and the dashboard). */
  blocks?: readonly FeatureBlock[];
}

export interface FitOptions {
  /** Seed for every random choice of the fit (default 42). */
  seed?: number;
  /** Aborts between epochs / blocks; the fit rejects with code 'fit_failed'. */
  signal?: AbortSignal;
  /** Called after each epoch of iterative models. */
  onEpoch?: (epoch: number, info: { loss?: number; seconds: number }) => void;
  /** Item content for hybrid models (ignored by the others). */
  itemFeatures?: ItemFeatures;
}

export interface FitReport {
  kind: string;
  seconds: number;
  epochs?: number;
  /** Training loss per epoch, where the model has one. */
  losses?: number[];
  warnings: string[];
}

/** One contribution to a score: an item of the user's history or a neighbour user, with its weight. */
export interface Contribution {
  item?: string;
  user?: string;
  weight: number;
}

export interface Evidence {
  item: string;
  score: number;
  /** 'items': history items (because you printed X); 'users': neighbour users; 'popularity': none. */
  basis: 'items' | 'users' | 'popularity';
  /** Largest |weight| first. */
  contributions: Contribution[];
}

/** The parts of a score in index space: history item indices or neighbour user indices. */
export interface IndexEvidence {
  basis: Evidence['basis'];
  score: number;
  parts: { index: number; weight: number }[];
}

/** What an artifact records beside the model state. */
export interface ArtifactMeta {
  format: 'layerwise-model';
  version: 1;
  kind: string;
  params: Record<string, unknown>;
  /** Hash of kind + params: equal hashes mean the same configuration. */
  configHash: string;
  /** Interactions.fingerprint() of the training data. */
  dataFingerprint: string;
  metrics: Record<string, number>;
  createdAt: string;
  nUsers: number;
  nItems: number;
}

export interface Recommender {
  /** Registry name, e.g. 'ease'. */
  readonly kind: string;
  /** The full hyper-parameters (defaults merged with the ones given). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly fitted: boolean;
  /** Users and items of the training data (throws before fit). */
  readonly data: Interactions;

  fit(data: Interactions, options?: FitOptions, signal?: AbortSignal): Promise<FitReport>;
  /** Top-k for a training user; throws not_found for an unknown user (use recommendForHistory). */
  recommend(user: string, k: number, options?: RecommendOptions): Scored[];
  /** Top-k for any history (fold-in); unknown items in the history are ignored. Seen items excluded by default. */
  recommendForHistory(history: readonly HistoryEntry[], k: number, options?: RecommendOptions): Scored[];
  similarItems(item: string, k: number): Scored[];
  /** Why `item` scores what it does for `user` (or for a history). */
  explain(user: string, item: string, maxContributions?: number): Evidence;
  explainForHistory(history: readonly HistoryEntry[], item: string, maxContributions?: number): Evidence;
  /**
   * explainForHistory in index space, for serving: `items` sorted unique model item indices with their `weights`
   * (as scoreHistory takes them), `item` a model item index; parts largest |weight| first. No id lookups.
   */
  explainHistoryIndices(
    items: Int32Array,
    weights: Float32Array,
    item: number,
    maxContributions?: number,
  ): IndexEvidence;

  /** Scores of every item for training user index u, written into out (length nItems). */
  scoreUser(u: number, out: Float32Array): void;
  /**
   * Optional batch form of scoreUser: row r of `out` (users.length × nItems) gets user users[r]'s scores. Factor
   * models do it as one matrix product (evaluation of thousands of users against a million items).
   */
  scoreUsers?(users: Int32Array, out: Float32Array): void;
  /** Scores of every item for a history given as item indices and weights (fold-in). */
  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void;

  /** The artifact: header (ArtifactMeta) + model state, as bytes. */
  save(metrics?: Record<string, number>): Uint8Array;
  /** Restores an artifact made by save() of the same kind into this instance (its params replace these). */
  /**
   * With `serving`, a model that serves without its training matrix (see releaseTrainingData) does not decode it or
   * its user factors at all: the result is what load + releaseTrainingData leaves, without the transient memory.
   */
  load(bytes: Uint8Array, options?: { serving?: boolean }): void;
  /** Metadata of the last save/load (metrics recorded with it). */
  readonly meta: ArtifactMeta | undefined;
}

/** A model that scores items from content alone (hybrid): items that arrive after training join without a retrain. */
export interface ContentAware {
  /** True when the fitted model reads content (fitted with itemFeatures). */
  readonly usesContent: boolean;
  /** The content blocks it reads. */
  readonly featureBlocks: readonly FeatureBlock[];
  /** Appends unknown items (and refreshes known items without events) from their content rows. */
  addItems(features: ItemFeatures): { added: number; updated: number };
}

/** True for a fitted model that reads content and can take new items. */
export function isContentAware(m: Recommender): m is Recommender & ContentAware {
  const c = m as Partial<ContentAware>;
  return typeof c.addItems === 'function' && c.usesContent === true;
}

/** A search space entry: a list of values (grid) or a range (random search). */
export type ParamSpace =
  | readonly (number | string | boolean)[]
  | { min: number; max: number; log?: boolean; int?: boolean };

/** One registered model kind. */
export interface ModelSpec {
  kind: string;
  title: string;
  /** Paper it implements. */
  paper: string;
  /** Documented default hyper-parameters. */
  defaults: Readonly<Record<string, unknown>>;
  /** Hyper-parameter search space used by tuning. */
  space: Readonly<Record<string, ParamSpace>>;
  create(params?: Readonly<Record<string, unknown>>): Recommender;
}

/**
 * The model registry: kind → spec (paper, documented defaults, tuning space, factory). A new model is one file plus
 * one entry here. `loadRecommender(bytes)` restores any artifact by its recorded kind.
 */
import { LayerwiseError } from '../core/errors.js';
import { decodeArtifact, stripArtifact } from './artifact.js';
import { BPR_DEFAULTS, Bpr } from './bpr.js';
import { CONTENT_KNN_DEFAULTS, ContentKnn } from './content-knn.js';
import { EASE_DEFAULTS, Ease } from './ease.js';
import { P3ALPHA_DEFAULTS, P3Alpha, RP3BETA_DEFAULTS, Rp3Beta } from './graph-walk.js';
import { HYBRID_DEFAULTS, Hybrid } from './hybrid.js';
import { IALS_DEFAULTS, Ials } from './ials.js';
import { ITEM_KNN_DEFAULTS, ItemKnn } from './item-knn.js';
import { LAST_ITEM_KNN_DEFAULTS, LastItemKnn } from './last-item-knn.js';
import { MARKOV_DEFAULTS, MarkovChain } from './markov.js';
import { MULT_DAE_DEFAULTS, MULT_VAE_DEFAULTS, MultDae, MultVae } from './mult-vae.js';
import { POPULARITY_DEFAULTS, Popularity } from './popularity.js';
import type { ModelSpec, Recommender } from './recommender.js';
import { SASREC_DEFAULTS, Sasrec } from './sasrec.js';
import { SDAE_DEFAULTS, Sdae } from './sdae.js';
import { TWO_TOWER_DEFAULTS, TwoTower } from './two-tower.js';
import { USER_KNN_DEFAULTS, UserKnn } from './user-knn.js';

/** The model-registry name under which `layerwise train` saves recommender artifacts (the active one is served). */
export const SERVING_MODEL_NAME = 'recommender';
/** The registry name of sequential models (`layerwise train --sequential`): the active one serves "print next". */
export const SEQUENTIAL_MODEL_NAME = 'sequential';

const specs = new Map<string, ModelSpec>();

/** Adds a model kind (deep models register themselves from their own module). */
export function registerModel(spec: ModelSpec): void {
  if (specs.has(spec.kind)) throw new LayerwiseError('conflict', `model kind '${spec.kind}' is already registered`);
  specs.set(spec.kind, spec);
}

export function modelSpec(kind: string): ModelSpec {
  const s = specs.get(kind);
  if (!s) throw new LayerwiseError('not_found', `unknown model '${kind}'; known: ${[...specs.keys()].join(', ')}`);
  return s;
}

export function modelKinds(): string[] {
  return [...specs.keys()];
}

export function createModel(kind: string, params: Readonly<Record<string, unknown>> = {}): Recommender {
  return modelSpec(kind).create(params);
}

/** Restores any saved artifact (the kind is read from its header). */
/** A model from its artifact; `serving`: without the user side serving never reads (see Recommender.load). */
export function loadRecommender(bytes: Uint8Array, options: { serving?: boolean } = {}): Recommender {
  const model = createModel(decodeArtifact(bytes, { headerOnly: true }).meta.kind);
  model.load(bytes, options);
  return model;
}

/**
 * The serving form of an artifact — what `serve` loads instead, stored beside it (ModelArtifactInput.servingPayload):
 * without the tensors a serving load skips and, when the training matrix is among them, without user ids (2.7 M of
 * them at 100 M events); null when serving reads the whole artifact anyway. Loading it (with or without `serving`)
 * gives the same item side as loading the artifact with `serving`.
 */
export function servingArtifact(bytes: Uint8Array): Uint8Array | null {
  const head = decodeArtifact(bytes, { headerOnly: true });
  const model = createModel(head.meta.kind, head.meta.params) as Recommender & { servingTensors?(): string[] };
  const skip = model.servingTensors?.() ?? [];
  if (skip.length === 0) return null;
  return stripArtifact(bytes, new Set(skip), skip.includes('@indices'));
}

registerModel({
  kind: 'pop',
  title: 'Popularity',
  paper: 'Cremonesi, Koren & Turrin, RecSys 2010',
  defaults: POPULARITY_DEFAULTS,
  space: {},
  create: (p) => new Popularity(p),
});
registerModel({
  kind: 'itemknn',
  title: 'ItemKNN',
  paper: 'Sarwar et al., WWW 2001; Deshpande & Karypis, TOIS 2004',
  defaults: ITEM_KNN_DEFAULTS,
  space: { similarity: ['cosine', 'jaccard', 'bm25'], neighbours: [20, 50, 100, 200, 400], shrink: [0, 10, 50, 100] },
  create: (p) => new ItemKnn(p),
});
registerModel({
  kind: 'userknn',
  title: 'UserKNN',
  paper: 'Herlocker et al., SIGIR 1999',
  defaults: USER_KNN_DEFAULTS,
  space: { neighbours: [20, 50, 100, 200], shrink: [0, 10, 50] },
  create: (p) => new UserKnn(p),
});
registerModel({
  kind: 'p3alpha',
  title: 'P3alpha',
  paper: 'Cooper et al., WWW 2014',
  defaults: P3ALPHA_DEFAULTS,
  space: { alpha: { min: 0.2, max: 1.5 }, neighbours: [50, 100, 200, 400], normalize: [false, true] },
  create: (p) => new P3Alpha(p),
});
registerModel({
  kind: 'rp3beta',
  title: 'RP3beta',
  paper: 'Paudel et al., TiiS 2017',
  defaults: RP3BETA_DEFAULTS,
  space: {
    alpha: { min: 0.3, max: 1.5 },
    beta: { min: 0, max: 0.8 },
    neighbours: [50, 100, 200, 400],
    normalize: [false, true],
  },
  create: (p) => new Rp3Beta(p),
});
registerModel({
  kind: 'ease',
  title: 'EASE',
  paper: 'Steck, WWW 2019',
  defaults: EASE_DEFAULTS,
  space: { lambda: { min: 20, max: 3000, log: true } },
  create: (p) => new Ease(p),
});
registerModel({
  kind: 'ials',
  title: 'iALS (conjugate gradient)',
  paper: 'Hu, Koren & Volinsky, ICDM 2008; Takács et al., RecSys 2011',
  defaults: IALS_DEFAULTS,
  space: {
    factors: [32, 64, 128],
    reg: { min: 5, max: 300, log: true },
    alpha: { min: 1, max: 40, log: true },
    regExponent: [0, 0.5, 1],
  },
  create: (p) => new Ials(p),
});
registerModel({
  kind: 'bpr',
  title: 'BPR-MF',
  paper: 'Rendle et al., UAI 2009',
  defaults: BPR_DEFAULTS,
  space: {
    factors: [32, 64, 128],
    learningRate: { min: 0.005, max: 0.1, log: true },
    reg: { min: 0.001, max: 0.05, log: true },
  },
  create: (p) => new Bpr(p),
});
registerModel({
  kind: 'multvae',
  title: 'Mult-VAE',
  paper: 'Liang, Krishnan, Hoffman & Jebara, WWW 2018',
  defaults: MULT_VAE_DEFAULTS,
  space: { epochs: [50, 100, 200], annealCap: [0.1, 0.2, 0.4], dropout: [0.3, 0.5], latent: [100, 200] },
  create: (p) => new MultVae(p),
});
registerModel({
  kind: 'multdae',
  title: 'Mult-DAE',
  paper: 'Liang, Krishnan, Hoffman & Jebara, WWW 2018',
  defaults: MULT_DAE_DEFAULTS,
  space: { epochs: [50, 100, 200], dropout: [0.3, 0.5], weightDecay: { min: 1e-6, max: 1e-3, log: true } },
  create: (p) => new MultDae(p),
});
registerModel({
  kind: 'sdae',
  title: 'Stacked denoising autoencoder (layer-wise pre-trained)',
  paper: 'Vincent et al., JMLR 2010; fine-tuned as Mult-DAE (Liang et al., WWW 2018)',
  defaults: SDAE_DEFAULTS,
  space: { epochs: [50, 100, 200], pretrainEpochs: [10, 20, 50], dropout: [0.3, 0.5] },
  create: (p) => new Sdae(p),
});
registerModel({
  kind: 'sdae-scratch',
  title: 'Stacked denoising autoencoder, no pre-training (the sdae baseline)',
  paper: 'Vincent et al., JMLR 2010; fine-tuned as Mult-DAE (Liang et al., WWW 2018)',
  defaults: { ...SDAE_DEFAULTS, pretrain: false },
  space: { epochs: [50, 100, 200], dropout: [0.3, 0.5] },
  create: (p) => new Sdae(p, 'sdae-scratch'),
});
registerModel({
  kind: 'hybrid',
  title: 'Hybrid cold start: iALS + content item tower (DropoutNet-style)',
  paper: 'Volkovs, Yu & Poutanen, NeurIPS 2017 (DropoutNet); Hu, Koren & Volinsky, ICDM 2008',
  defaults: HYBRID_DEFAULTS,
  space: {
    towerHidden: [128, 256],
    cfDropout: [0.3, 0.5, 0.7],
    blendShrink: [1, 5, 20],
    towerEpochs: [30, 60, 120],
    coldScale: [0.5, 1, 1.5],
  },
  create: (p) => new Hybrid(p),
});
registerModel({
  kind: 'twotower',
  title: 'Two-tower network: content + id item tower, history user tower, sampled softmax with logQ correction',
  paper: 'Yi et al., RecSys 2019 (sampling-bias-corrected two-tower); Yang et al., WWW 2020 (mixed negative sampling)',
  defaults: TWO_TOWER_DEFAULTS,
  space: {
    dim: [32, 64, 128],
    epochs: [5, 10, 20],
    temperature: [0.05, 0.1, 0.2],
    idDropout: [0.3, 0.5, 0.7],
    historyDropout: [0, 0.2, 0.5],
    learningRate: { min: 5e-4, max: 5e-3, log: true },
  },
  create: (p) => new TwoTower(p),
});
registerModel({
  kind: 'content',
  title: 'Content-based: cosine of item content with the user history (needs item features)',
  paper: 'Pazzani & Billsus, The Adaptive Web 2007',
  defaults: CONTENT_KNN_DEFAULTS,
  space: { weightPower: [0, 0.5, 1] },
  create: (p) => new ContentKnn(p),
});
registerModel({
  kind: 'markov',
  title: 'First-order Markov chain (sequential baseline)',
  paper: 'Rendle, Freudenthaler & Schmidt-Thieme, WWW 2010 (the unfactorised chain)',
  defaults: MARKOV_DEFAULTS,
  space: { alpha: { min: 0.01, max: 100, log: true }, window: [1, 2, 3] },
  create: (p) => new MarkovChain(p),
});
registerModel({
  kind: 'lastknn',
  title: 'Item-kNN on the last item (sequential baseline)',
  paper: 'Hidasi et al., ICLR 2016; Ludewig & Jannach, UMUAI 2018',
  defaults: LAST_ITEM_KNN_DEFAULTS,
  space: { neighbours: [50, 100, 200, 400], shrink: [0, 10, 50, 100] },
  create: (p) => new LastItemKnn(p),
});
registerModel({
  kind: 'sasrec',
  title: 'SASRec (causal self-attention, full softmax)',
  paper: 'Kang & McAuley, ICDM 2018; full cross-entropy as in Klenitskiy & Vasilev, RecSys 2023',
  defaults: SASREC_DEFAULTS,
  space: {
    dim: [32, 64, 128],
    blocks: [1, 2],
    maxLen: [50, 100, 200],
    dropout: [0.1, 0.2, 0.3, 0.5],
    learningRate: { min: 3e-4, max: 3e-3, log: true },
  },
  create: (p) => new Sasrec(p),
});

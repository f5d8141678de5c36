/**
 * ground-truth.json of a generated demo library: the tastes the events were drawn from (per user: family weights,
 * trait preferences, top family, followed projects), what each item is (family, traits, parameters, remix/variant
 * links, project step) and the projects (ordered item lists, src/demo/projects.ts). Model
 * tests read it with `readGroundTruth` to check that a recommender recovers the tastes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltItem } from './build-items.js';
import { EPOCH_END, EPOCH_START } from './catalog.js';
import { FAMILIES } from './families/index.js';
import { TRAITS, type Trait } from './family.js';
import { PROJECT_KINDS, type ProjectCatalog } from './projects.js';

export interface GroundTruthUser {
  /** Browsing probability per family id (sums to 1). */
  families: Record<string, number>;
  /** Non-zero trait preferences in [-1.5, 1.5]. */
  traits: Partial<Record<Trait, number>>;
  topFamily: string;
  views: number;
  joinedAt: string;
  /**
   * The projects the user followed, in the order they started them, each with the items they printed in it (steps
   * they had already seen are skipped): every one is looked at after all events of the one before.
   */
  projects: { id: string; items: string[] }[];
}

/** An ordered project (src/demo/projects.ts): items people print one after the other. */
export interface GroundTruthProject {
  kind: string;
  /** Item ids in the order they are printed. */
  items: string[];
}

export interface GroundTruthItem {
  path: string;
  family: string;
  traits: Trait[];
  popularity: number;
  remixOf?: string;
  variantOf?: string;
  params: Record<string, number | string>;
  triangles: number;
  bboxMm: [number, number, number];
  volumeMm3: number;
  genus: number;
  /** The project this item is a step of (the first one, when an item serves several), and its step (0-based). */
  project?: { id: string; step: number };
}

export interface GroundTruth {
  generator: 'layerwise demo';
  seed: number;
  options: { items: number; users: number; reuse: number };
  period: { start: string; end: string };
  families: string[];
  traits: Trait[];
  /** By user id (`u00000`, …). */
  users: Record<string, GroundTruthUser>;
  /** By item id — the store item id and the `item` of events.csv. */
  items: Record<string, GroundTruthItem>;
  /** By project id (`chess-set-0003`, …). */
  projects: Record<string, GroundTruthProject>;
}

/** Reads `<dir>/ground-truth.json` written by `generateDemo`. */
export function readGroundTruth(dir: string): GroundTruth {
  return JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth;
}

export function groundTruthJson(
  options: { seed: number; items: number; users: number; reuse?: number },
  built: BuiltItem[],
  users: Record<string, unknown>,
  projectCatalog?: ProjectCatalog,
): string {
  const projects: Record<string, GroundTruthProject> = {};
  const stepOf = new Map<number, { id: string; step: number }>();
  for (let p = 0; p < (projectCatalog?.count ?? 0); p++) {
    const id = projectCatalog!.id(p);
    const list = projectCatalog!.items(p);
    projects[id] = { kind: PROJECT_KINDS[projectCatalog!.kind(p)]!.kind, items: list.map((i) => built[i]!.plan.id) };
    list.forEach((i, step) => {
      if (!stepOf.has(i)) stepOf.set(i, { id, step });
    });
  }
  const items: Record<string, unknown> = {};
  for (const [index, b] of built.entries()) {
    items[b.plan.id] = {
      path: b.path,
      family: b.plan.family.id,
      traits: TRAITS.filter((t) => b.traits[t]),
      popularity: Math.round(b.plan.popularity * 1000) / 1000,
      ...(b.plan.remixOf === undefined ? {} : { remixOf: built[b.plan.remixOf]!.plan.id }),
      ...(b.plan.variantOf === undefined ? {} : { variantOf: built[b.plan.variantOf]!.plan.id }),
      params: b.params,
      triangles: b.triangles,
      bboxMm: b.bboxMm,
      volumeMm3: b.volumeMm3,
      genus: b.genus,
      ...(stepOf.has(index) ? { project: stepOf.get(index) } : {}),
    };
  }
  const doc = {
    generator: 'layerwise demo',
    seed: options.seed,
    options: { items: options.items, users: options.users, reuse: options.reuse ?? 2 },
    period: { start: new Date(EPOCH_START).toISOString(), end: new Date(EPOCH_END).toISOString() },
    families: FAMILIES.map((f) => f.id),
    traits: TRAITS,
    users,
    items,
    projectKinds: PROJECT_KINDS,
    projects,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

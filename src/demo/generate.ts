/**
 * `generateDemo`: writes the demo library to a folder —
 *   models/<family>/<id>.stl|.3mf   watertight meshes in mm (manifold-3d CSG)
 *   metadata.jsonl                  one listing per file, keyed by `path` relative to the folder, with the item `id`
 *   events.csv                      user,item,type,timestamp,weight (item = the id above), sorted by time
 *   ground-truth.json               per-user family weights, trait preferences and followed projects; per-item family
 *                                   and traits; the projects (ordered item lists, src/demo/projects.ts)
 * The same options give the same bytes in every file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LayerwiseError } from '../core/errors.js';
import { type BuiltItem, buildItem, designLastUse } from './build-items.js';
import type { ShapeResult } from './build-shape.js';
import { planCatalog } from './catalog.js';
import { type DemoEvent, EVENTS_CSV_HEADER, eventCsvRow, type FollowedProject, userEvents } from './events.js';
import { FAMILIES } from './families/index.js';
import { TRAITS } from './family.js';
import { groundTruthJson } from './ground-truth.js';
import { type CatalogEntry, tableCatalog } from './item-table.js';
import { loadKernel } from './kernel.js';
import { setRank, tableProjects } from './projects.js';
import { makeUser, tasteRecord } from './tastes.js';

export interface DemoOptions {
  /** Output folder (created if missing). */
  out: string;
  items: number;
  users: number;
  seed: number;
  /** Items per built design (default 2): the others are scaled/rotated variants. 1 builds every item. */
  reuse?: number;
  /** Called as work advances: stage `models` (per item) and `events` (per user). */
  onProgress?: (stage: 'models' | 'events', done: number, total: number) => void;
}

export interface DemoSummary {
  out: string;
  items: number;
  users: number;
  events: number;
  eventsByType: Record<string, number>;
  families: number;
  files: { stl: number; '3mf': number; bytes: number };
  designsBuilt: number;
  triangles: { min: number; median: number; max: number };
  seconds: { models: number; events: number };
}

function check(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new LayerwiseError('invalid_argument', `--${name} must be an integer in [${min}, ${max}]; got ${v}`);
  }
}

export function traitBits(traits: Record<string, boolean>): number {
  return TRAITS.reduce((bits, t, i) => (traits[t] ? bits | (1 << i) : bits), 0);
}

function metadataLine(b: BuiltItem, plan: BuiltItem[]): string {
  const remix = b.plan.remixOf === undefined ? undefined : plan[b.plan.remixOf]!.plan.id;
  return `${JSON.stringify({
    path: b.path,
    id: b.plan.id,
    title: b.title,
    description: b.description,
    tags: b.tags,
    license: b.plan.license,
    creator: b.plan.creator,
    category: b.plan.family.id,
    ...(remix ? { remixOf: remix } : {}),
    createdAt: new Date(b.plan.createdAt).toISOString(),
  })}\n`;
}

/**
 * Makes `out` ready: an earlier demo library there is replaced (its models folder removed, so no stale files get
 * ingested); any other non-empty folder is refused.
 */
function prepareOut(out: string): void {
  if (!existsSync(out) || readdirSync(out).length === 0) return;
  const truth = join(out, 'ground-truth.json');
  let ours = false;
  try {
    ours = (JSON.parse(readFileSync(truth, 'utf8')) as { generator?: string }).generator === 'layerwise demo';
  } catch {
    ours = false;
  }
  if (!ours) {
    throw new LayerwiseError(
      'conflict',
      `--out ${out} is not empty and holds no demo library; choose a new or empty folder`,
    );
  }
  rmSync(join(out, 'models'), { recursive: true, force: true });
}

/** Generates meshes, listings, users and events into `options.out`. */
export async function generateDemo(options: DemoOptions): Promise<DemoSummary> {
  check('items', options.items, 1, 200_000);
  check('users', options.users, 0, 1_000_000);
  if (options.reuse !== undefined && !(options.reuse >= 1 && options.reuse <= 100)) {
    throw new LayerwiseError('invalid_argument', `--reuse must be a number in [1, 100]; got ${options.reuse}`);
  }
  const { out, seed } = options;
  prepareOut(out);
  const k = await loadKernel();
  const t0 = Date.now();
  const plan = planCatalog({
    items: options.items,
    seed,
    ...(options.reuse === undefined ? {} : { reuse: options.reuse }),
  });
  const lastUse = designLastUse(plan);
  const cache = new Map<number, ShapeResult>();
  for (const f of FAMILIES) mkdirSync(join(out, 'models', f.id), { recursive: true });
  const built: BuiltItem[] = [];
  const files = { stl: 0, '3mf': 0, bytes: 0 };
  for (const item of plan) {
    const b = buildItem(k, item, plan, seed, cache, lastUse);
    writeFileSync(join(out, b.path), b.bytes);
    files[b.format]++;
    files.bytes += b.bytes.byteLength;
    b.bytes = new Uint8Array(0);
    built.push(b);
    options.onProgress?.('models', built.length, plan.length);
  }
  writeFileSync(join(out, 'metadata.jsonl'), built.map((b) => metadataLine(b, built)).join(''));
  const t1 = Date.now();

  const entries: CatalogEntry[] = built.map((b) => ({
    id: b.plan.id,
    family: FAMILIES.indexOf(b.plan.family),
    traits: traitBits(b.traits),
    createdAt: b.plan.createdAt,
    popularity: b.plan.popularity,
    ...(b.plan.remixOf === undefined ? {} : { remixOf: b.plan.remixOf }),
  }));
  const projects = tableProjects(
    built.map((b, i) => ({ ...entries[i]!, ...setRank(b.plan.family.id, b.params) })),
    seed,
  );
  const catalog = tableCatalog(entries, FAMILIES.length, projects);
  const familyIds = FAMILIES.map((f) => f.id);
  const events: DemoEvent[] = [];
  const users: Record<string, unknown> = {};
  for (let u = 0; u < options.users; u++) {
    const user = makeUser(u, {
      seed,
      families: FAMILIES.length,
      maxViews: Math.max(4, Math.min(400, options.items >> 1)),
    });
    const followed: FollowedProject[] = [];
    for (const e of userEvents(user, catalog, seed, u, followed)) events.push(e);
    users[user.id] = { ...tasteRecord(user, familyIds), projects: followed };
    if ((u + 1) % 100 === 0 || u + 1 === options.users) options.onProgress?.('events', u + 1, options.users);
  }
  events.sort((a, b) => a.timestamp - b.timestamp || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  const byType: Record<string, number> = {};
  const rows: string[] = [EVENTS_CSV_HEADER];
  for (const e of events) {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    rows.push(eventCsvRow(e));
  }
  writeFileSync(join(out, 'events.csv'), rows.join(''));
  writeFileSync(join(out, 'ground-truth.json'), groundTruthJson(options, built, users, projects));
  const tris = built.map((b) => b.triangles).sort((a, b) => a - b);
  return {
    out,
    items: built.length,
    users: options.users,
    events: events.length,
    eventsByType: byType,
    families: new Set(built.map((b) => b.plan.family.id)).size,
    files,
    designsBuilt: plan.filter((p) => p.variantOf === undefined).length,
    triangles: { min: tris[0] ?? 0, median: tris[tris.length >> 1] ?? 0, max: tris[tris.length - 1] ?? 0 },
    seconds: { models: (t1 - t0) / 1000, events: (Date.now() - t1) / 1000 },
  };
}

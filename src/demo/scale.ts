/**
 * Scale mode of the demo: metadata-only items (no meshes) and events for load tests — up to millions of items and
 * hundreds of millions of events — streamed to files with backpressure and constant memory. Items are closed-form
 * functions of their index (family = index mod F, traits drawn from the family's priors, popularity rank via a fixed
 * permutation), so nothing per item is held; users are generated one at a time until the event budget is spent.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { LayerwiseError } from '../core/errors.js';
import { hashString, Rng } from '../core/rng.js';
import { EPOCH_END, EPOCH_START, streamSeed } from './catalog.js';
import { EVENTS_CSV_HEADER, type EventCatalog, eventCsvRow, type FollowedProject, userEvents } from './events.js';
import { FAMILIES } from './families/index.js';
import { TRAITS } from './family.js';
import { closedFormProjects, ITEMS_PER_PROJECT, PROJECT_KINDS } from './projects.js';
import { ACTIVITY_ALPHA, makeUser, tasteRecord } from './tastes.js';
import { creatorHandle, LICENSES } from './words.js';

export interface ScaleOptions {
  out: string;
  items: number;
  events: number;
  /** Expected number of users (default events / 40); activity is scaled so they produce about `events`. */
  users?: number;
  seed: number;
  onProgress?: (stage: 'items' | 'events', done: number, total: number) => void;
}

export interface ScaleSummary {
  out: string;
  items: number;
  users: number;
  events: number;
  seconds: number;
}

const DAY = 86_400_000;
const F = FAMILIES.length;
const EVENTS_PER_VIEW = 1.7;

/** A writer that waits for the stream to drain when its buffer is full: memory stays bounded. */
class Sink {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length;
    if (this.size < 1 << 16) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    if (this.pending.length > 0) this.stream.write(this.pending.join(''));
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** A 32-bit integer hash of (seed, salt, i) as a uniform number in [0, 1): cheap, stateless, deterministic. */
function unit(seed: number, salt: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35) ^ i;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/** The closed-form catalog of `n` metadata-only items. */
export function scaleCatalog(n: number, seed: number): EventCatalog & { family(i: number): number } {
  const sizes = FAMILIES.map((_, f) => (n > f ? Math.floor((n - 1 - f) / F) + 1 : 0));
  const mult = sizes.map((m) => [1_000_003, 999_983, 1_299_709].find((p) => m % p !== 0) ?? 1);
  const offsets = sizes.map((m, f) => (m > 0 ? hashString(`${seed}:${f}`) % m : 0));
  const priors = FAMILIES.map((fam) => TRAITS.map((t) => fam.traitPriors[t] ?? 0.08));
  return {
    families: F,
    projects: closedFormProjects(sizes, seed),
    family: (i) => i % F,
    sample(family, rng) {
      const m = sizes[family]!;
      if (m === 0) return -1;
      const rank = Math.floor(m * rng.next() ** 3);
      const local = (rank * mult[family]! + offsets[family]!) % m;
      return local * F + family;
    },
    traits(i) {
      const p = priors[i % F]!;
      let bits = 0;
      for (let b = 0; b < p.length; b++) if (unit(seed, b, i) < p[b]!) bits |= 1 << b;
      return bits;
    },
    createdAt(i) {
      const u = unit(seed, 99, i);
      return Math.floor((EPOCH_START - 365 * DAY + u * (730 - 14) * DAY) / 1000) * 1000;
    },
    id: (i) => `s${String(i).padStart(7, '0')}`,
  };
}

function itemLine(i: number, catalog: ReturnType<typeof scaleCatalog>, creators: string[], seed: number): string {
  const family = FAMILIES[catalog.family(i)]!;
  const rng = new Rng(streamSeed(seed, 'scale-listing', i));
  const bits = catalog.traits(i);
  return `${JSON.stringify({
    id: catalog.id(i),
    title: `${family.noun.charAt(0).toUpperCase()}${family.noun.slice(1)} #${i}`,
    tags: [...family.tags.slice(0, 2), ...TRAITS.filter((_, b) => bits & (1 << b))],
    license: rng.pick(LICENSES),
    creator: creators[Math.floor(creators.length * rng.next() ** 2)],
    category: family.id,
    createdAt: new Date(catalog.createdAt(i)).toISOString(),
  })}\n`;
}

/** Streams items.jsonl, users.jsonl (ground-truth tastes), events.csv and ground-truth.json into `out`. */
export async function generateScale(o: ScaleOptions): Promise<ScaleSummary> {
  if (!Number.isInteger(o.items) || o.items < F) {
    throw new LayerwiseError('invalid_argument', `--items must be an integer ≥ ${F} in scale mode; got ${o.items}`);
  }
  if (!Number.isInteger(o.events) || o.events < 0) {
    throw new LayerwiseError('invalid_argument', `--events must be a non-negative integer; got ${o.events}`);
  }
  const t0 = Date.now();
  mkdirSync(o.out, { recursive: true });
  const catalog = scaleCatalog(o.items, o.seed);
  const creatorRng = new Rng(streamSeed(o.seed, 'scale-creators'));
  const creators = Array.from({ length: Math.min(50_000, Math.max(20, o.items >> 6)) }, (_, i) =>
    creatorHandle(creatorRng, i),
  );
  const items = new Sink(join(o.out, 'items.jsonl'));
  for (let i = 0; i < o.items; i++) {
    await items.write(itemLine(i, catalog, creators, o.seed));
    if ((i + 1) % 100_000 === 0) o.onProgress?.('items', i + 1, o.items);
  }
  await items.close();

  const expectedUsers = Math.max(1, o.users ?? Math.ceil(o.events / 40));
  const maxViews = Math.max(4, Math.min(2000, o.items >> 1));
  // Mean of a Pareto(α, xmin) is xmin·α/(α−1): pick xmin so that users × views × events/view ≈ the budget.
  const minViews = Math.max(1, (o.events / expectedUsers / EVENTS_PER_VIEW) * ((ACTIVITY_ALPHA - 1) / ACTIVITY_ALPHA));
  const users = new Sink(join(o.out, 'users.jsonl'));
  const events = new Sink(join(o.out, 'events.csv'));
  await events.write(EVENTS_CSV_HEADER);
  const familyIds = FAMILIES.map((f) => f.id);
  let written = 0;
  let u = 0;
  for (; written < o.events; u++) {
    const user = makeUser(u, { seed: o.seed, families: F, minViews, maxViews });
    const followed: FollowedProject[] = [];
    const list = userEvents(user, catalog, o.seed, u, followed);
    await users.write(`${JSON.stringify({ id: user.id, ...tasteRecord(user, familyIds), projects: followed })}\n`);
    for (const e of list) {
      if (written >= o.events) break;
      await events.write(eventCsvRow(e));
      written++;
    }
    if (u % 1000 === 999) o.onProgress?.('events', written, o.events);
  }
  await users.close();
  await events.close();
  const truth = {
    generator: 'layerwise demo --scale',
    seed: o.seed,
    options: { items: o.items, events: o.events, users: u },
    period: { start: new Date(EPOCH_START).toISOString(), end: new Date(EPOCH_END).toISOString() },
    families: familyIds,
    traits: TRAITS,
    note: 'metadata-only items (items.jsonl, family = index mod families); per-user tastes and followed projects in users.jsonl',
    projects: {
      count: catalog.projects?.count ?? 0,
      itemsPerProject: ITEMS_PER_PROJECT,
      kinds: PROJECT_KINDS,
      note: 'closed form: project p is of kind p mod kinds; its items are hashes of p (src/demo/projects.ts)',
    },
  };
  const gt = new Sink(join(o.out, 'ground-truth.json'));
  await gt.write(`${JSON.stringify(truth, null, 1)}\n`);
  await gt.close();
  o.onProgress?.('events', written, o.events);
  return { out: o.out, items: o.items, users: u, events: written, seconds: (Date.now() - t0) / 1000 };
}

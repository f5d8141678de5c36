/**
 * The configuration of layerwise, in one module with one loader style and one error format: zod schemas with
 * documented defaults, then an optional file / code input, then `LAYERWISE_*` environment, then CLI flags (later
 * wins). Unknown keys are errors. Two parts:
 * - `Config` (every command): where the store lives. Environment variables map camelCase keys to
 *   LAYERWISE_SNAKE_CASE (`dataDir` ← LAYERWISE_DATA_DIR); non-string values are given as JSON
 *   (`LAYERWISE_INGEST_WORKERS=2`).
 * - `ServerConfig` (`layerwise serve`): port, host, API keys, limits and the business rules of the service
 *   (LAYERWISE_PORT, LAYERWISE_HOST, LAYERWISE_API_KEYS=read:K1,write:K2,admin:K3, LAYERWISE_SLICER=prusa-slicer).
 * To add a setting, add a documented field to the schema it belongs to.
 */
import { z } from 'zod';
import { LayerwiseError } from '../core/errors.js';
import { DEFAULT_EVENT_WEIGHTS } from '../io/events-row.js';

export const configSchema = z.strictObject({
  /** Folder for the SQLite database, model payloads and caches. */
  dataDir: z.string().min(1).default('./.layerwise'),
  /** `postgres://…` to use PostgreSQL instead of SQLite in the data dir; null for SQLite. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .nullable()
    .default(null),
  /** Worker threads for parsing and analysing meshes at ingest (default min(2, cores)). */
  ingestWorkers: z.number().int().min(1).max(64).nullable().default(null),
  /**
   * `redis://host:6379` to run as part of a cluster: jobs go to BullMQ workers (`layerwise worker`), replicas keep
   * each other current through Redis pub/sub and share rate limits; null (the default) keeps everything in-process.
   */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .nullable()
    .default(null),
  /** Prefix of every Redis key and channel of this cluster (two clusters can share one Redis). */
  redisPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _.:- only (at most 64)')
    .default('layerwise'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export function envName(key: string): string {
  return `LAYERWISE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Reads the known keys from `LAYERWISE_*` variables (other LAYERWISE_* variables belong to tests and tools). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(configSchema.shape)) {
    const raw = env[envName(key)];
    if (raw === undefined || raw === '') continue;
    if ((field as z.ZodType).safeParse(raw).success) {
      out[key] = raw;
      continue;
    }
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw; // let the schema report it
    }
  }
  return out;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Parsed config file contents (a plain object). */
  file?: Record<string, unknown>;
  /** CLI flags already converted to config keys; undefined values are ignored. */
  flags?: Record<string, unknown>;
}

function defined(o: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}

/** Merges the layers and validates; throws invalid_argument naming each bad key and where it came from. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const merged = { ...defined(options.file), ...configFromEnv(options.env ?? process.env), ...defined(options.flags) };
  const r = configSchema.safeParse(merged);
  if (!r.success) throw configError('invalid configuration', r.error.issues);
  return r.data;
}

/** One message format for every configuration error: each bad key, why, and where to set it. */
function configError(what: string, issues: z.core.$ZodIssue[]): LayerwiseError {
  const msg = issues
    .map((i) => {
      const key = i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : '(root)');
      const top = String(i.path[0] ?? key);
      return `${key}: ${i.message} (set it with --${top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} or ${envName(top)})`;
    })
    .join('; ');
  return new LayerwiseError('invalid_argument', `${what}: ${msg}`, {
    details: { issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

// ---- the HTTP service ----

export const API_SCOPES = ['read', 'write', 'admin'] as const;
/** pino's levels from the fewest lines to the most, and `silent` (nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type ApiScope = (typeof API_SCOPES)[number];

const apiKeySchema = z.strictObject({
  /** The secret sent as `Authorization: Bearer KEY` (at least 8 characters). */
  key: z.string().min(8),
  /** read: GET routes; write: also events and uploads; admin: everything incl. model activation. */
  scope: z.enum(API_SCOPES),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const serverConfigSchema = z.strictObject({
  /** TCP port; 0 picks a free one (tests). Env LAYERWISE_PORT. */
  port: z.number().int().min(0).max(65535).default(7070),
  /** Interface to listen on. Forced to 127.0.0.1 when no API keys are configured. Env LAYERWISE_HOST. */
  host: z.string().default('0.0.0.0'),
  /** API keys; empty = open API on localhost only. Env LAYERWISE_API_KEYS=read:K1,write:K2,admin:K3. */
  apiKeys: z.array(apiKeySchema).default([]),
  /** Requests per key (or per IP without a key) per window. 0 disables the limit. */
  rateLimit: z
    .strictObject({ max: z.number().int().min(0).default(6000), windowMs: z.number().int().min(100).default(60_000) })
    .prefault({}),
  /** CORS: `true` allows any origin, a list allows those origins, `false` sends no CORS headers. */
  cors: z.union([z.boolean(), z.array(z.string())]).default(true),
  uploads: z
    .strictObject({
      /** Largest accepted mesh upload in bytes (413 above it). */
      maxBytes: z
        .number()
        .int()
        .min(1)
        .default(64 * 1024 * 1024),
      /** Largest accepted triangle count (422 above it). */
      maxTriangles: z.number().int().min(1).default(2_000_000),
      /** Largest accepted vertex count (422 above it). */
      maxVertices: z.number().int().min(1).default(6_000_000),
      /** Largest uncompressed size of one entry of an uploaded 3MF package, bytes (422 above it). */
      maxZipEntryBytes: z
        .number()
        .int()
        .min(1)
        .default(256 * 1024 * 1024),
      /** Wall-clock limit for parsing and analysing one upload, ms (422 `time` above it). */
      timeMs: z.number().int().min(100).default(30_000),
      /** JavaScript heap limit of each mesh worker thread, MB (422 `memory` above it). */
      memoryMb: z.number().int().min(32).default(512),
      /** Mesh worker threads; uploads beyond 8 waiting per worker get 503 with Retry-After. 0 = in-thread. */
      workers: z.number().int().min(0).max(64).default(2),
    })
    .prefault({}),
  /**
   * Connection hygiene: the whole request head must arrive within `headersTimeoutMs`, the whole request (body
   * included) within `requestTimeoutMs`; an idle keep-alive connection is closed after `keepAliveTimeoutMs`; at most
   * `maxConnections` sockets are open at once (more are refused by the kernel backlog / closed at once).
   */
  connections: z
    .strictObject({
      headersTimeoutMs: z.number().int().min(100).default(10_000),
      requestTimeoutMs: z.number().int().min(100).default(60_000),
      keepAliveTimeoutMs: z.number().int().min(100).default(5_000),
      maxConnections: z.number().int().min(1).default(2_048),
    })
    .prefault({}),
  /**
   * Load shedding (api/overload.ts): a request that arrives while the event loop has been more than
   * `maxEventLoopDelayMs` late twice in a row is answered 503 with `Retry-After: retryAfterS` at once instead of being worked on (0 = never shed); public
   * routes (health, readiness, metrics) are always served. A request whose client has closed the connection is
   * dropped unanswered before its handler runs.
   */
  overload: z
    .strictObject({
      maxEventLoopDelayMs: z.number().int().min(0).default(500),
      retryAfterS: z.number().int().min(1).max(3600).default(1),
    })
    .prefault({}),
  /**
   * Failed authentication per client address: after `max` failures (401) within `windowMs`, every request from that
   * address is answered 429 with Retry-After until the window has passed — key guessing is throttled before auth.
   */
  authFailures: z
    .strictObject({
      max: z.number().int().min(1).default(20),
      windowMs: z.number().int().min(1000).default(60_000),
    })
    .prefault({}),
  /**
   * Weight stored with an API event of each type when the event gives none (view < like < download < make); the
   * same defaults as `layerwise ingest events`. A rating's weight is rating / 5 × the weight of `make`.
   */
  eventWeights: z
    .strictObject({
      view: z.number().min(0).default(DEFAULT_EVENT_WEIGHTS.view),
      like: z.number().min(0).default(DEFAULT_EVENT_WEIGHTS.like),
      collect: z.number().min(0).default(DEFAULT_EVENT_WEIGHTS.collect),
      download: z.number().min(0).default(DEFAULT_EVENT_WEIGHTS.download),
      make: z.number().min(0).default(DEFAULT_EVENT_WEIGHTS.make),
      /** Negative feedback weighs ≤ 0: it cancels positive weight on the item (fold-in and training). */
      dislike: z.number().max(0).default(DEFAULT_EVENT_WEIGHTS.dislike),
      hide: z.number().max(0).default(DEFAULT_EVENT_WEIGHTS.hide),
      report: z.number().max(0).default(DEFAULT_EVENT_WEIGHTS.report),
    })
    .prefault({}),
  /** Negative feedback at serving time: how strongly a dislike lowers items like it (shape and behaviour). */
  negativeFeedback: z
    .strictObject({
      /** Score × (1 − strength · similarity) per disliked item; 0 = only the disliked item goes. */
      dislikeStrength: z.number().min(0).max(1).default(0.5),
      /** Most recent dislikes that lower similar items (default 20). */
      maxDislikes: z.number().int().min(0).max(1000).default(20),
    })
    .prefault({}),
  /** Impression logging (what was shown, by which model and experiment arm), written in batches off the hot path. */
  impressions: z
    .strictObject({
      /** Share of responses whose impressions are logged (1 = all; experiments need them). */
      sampleRate: z.number().min(0).max(1).default(1),
      /** Buffer flush interval in ms. */
      flushMs: z.number().int().min(10).default(250),
      /** Rows per write transaction; a flush yields to the event loop between them (short stalls, not one long one). */
      chunkRows: z.number().int().min(1).max(100_000).default(250),
      /** Most rows buffered while the store is unreachable; more are dropped and counted. */
      maxBuffered: z.number().int().min(100).default(200_000),
    })
    .prefault({}),
  /**
   * Bounds on what one event, and one user, can do. An explicit `weight` is clipped to
   * [0, weightFactor × the type's weight] (a rating to 0–5 stars), so `weight: 1e308` counts like a strong event,
   * not infinity. One user's events on one item count toward that item's popularity and trending score up to
   * `perUserItemCap` in total, so no single user (and no single key, beyond the users its rate limit lets it post
   * as) can push an item to the top for everyone. Events are stored with the clipped weight.
   */
  eventBounds: z
    .strictObject({
      weightFactor: z.number().min(1).default(2),
      perUserItemCap: z.number().min(0).default(10),
    })
    .prefault({}),
  /**
   * Serving at scale: a user's history is read from the store when needed (the most recent `historyLimit` events,
   * cached for `cachedUsers` users), and candidates come from an index — maximum-inner-product search over item
   * factors, or item–item neighbour lists — when the catalogue has at least `annMinItems` items (0 = always);
   * `candidates` are retrieved per user and scored exactly before filters and rules.
   */
  serving: z
    .strictObject({
      historyLimit: z.number().int().min(1).max(10_000).default(1000),
      /**
       * Most recent events of a user folded into the model for their recommendations (the fold-in costs
       * O(history × factors²) per cache miss); the whole read history is still excluded from what is recommended.
       */
      foldInEvents: z.number().int().min(1).max(10_000).default(200),
      cachedUsers: z.number().int().min(1).default(50_000),
      /**
       * Candidates retrieved per user (ten pages of ten; more survive strict filters without a full scan, at a cost:
       * at 1 M items the inner-product search took 0.57 ms for 100 + the history, 1.7 ms for 200 + the history).
       */
      candidates: z.number().int().min(10).max(10_000).default(100),
      annMinItems: z.number().int().min(0).default(20_000),
      /**
       * Threads that walk the candidate index for a user the cache does not hold, beside the request thread (0 = on
       * it). Default: one per core beyond the first, at most 2 — at 1 M items the walk is the largest share of a new
       * user's recommendation.
       */
      searchThreads: z.number().int().min(0).max(16).optional(),
    })
    .prefault({}),
  /**
   * Resident memory of a long-running server (bench/RESULTS.md "Soak: reading": without these, RSS grew 38–65 % over
   * ten minutes of mixed traffic, far more than the live heap; with them 23.5 %). `mallocArenas`: at most this many C-allocator arenas (glibc,
   * through the native addon; 0 = glibc's default of 8 per core) — threads that come and go (retired mesh workers,
   * search and commit threads) otherwise each leave an arena's worth of resident memory behind. `heapGrowthPercent`
   * (from the moment the state is loaded): V8 starts a full collection when the old generation has grown by this
   * share over what the last one kept
   * (0 = V8's own factor, which rises to 2–4× at a high allocation rate, so committed heap swings far above the live
   * data). Lower costs collections (CPU); higher costs memory. `trimEveryS`: every this many seconds the C
   * allocator gives the free pages inside its arenas back to the kernel (malloc_trim, off the event loop; 0 = never)
   * — `free` alone keeps them resident.
   */
  memory: z
    .strictObject({
      mallocArenas: z.number().int().min(0).max(64).default(2),
      heapGrowthPercent: z.number().int().min(0).max(1000).default(30),
      trimEveryS: z.number().min(0).max(86_400).default(10),
    })
    .prefault({}),
  recommend: z
    .strictObject({
      /** k used when the query has none. */
      defaultK: z.number().int().min(1).default(10),
      /** Largest k a client may ask for (400 above it). */
      maxK: z.number().int().min(1).default(100),
      /** Default cap on results from one creator (0 = no cap); the `diversity` query parameter overrides it. */
      maxPerCreator: z.number().int().min(0).default(0),
      /** Default cap on results from one shape family (0 = no cap). */
      maxPerFamily: z.number().int().min(0).default(0),
      /** Score multiplier applied to items that need much support on the requested printer. */
      supportPenalty: z.number().min(0).max(1).default(0.7),
      /** Score multiplier applied to items that are not watertight. */
      openMeshPenalty: z.number().min(0).max(1).default(0.6),
      /**
       * Shape taste in the ranking: for a user whose history is mostly small / large / flat / slender parts (traits
       * at least twice as common as in the catalogue), candidates sharing that taste rank as if their score were
       * (1 + boost)× the others' (applied as 1/(1 + boost) to the rest, so scores are never raised). 0 = off.
       */
      shapeTasteBoost: z.number().min(0).max(10).default(0.2),
    })
    .prefault({}),
  /**
   * The slicer engine behind `POST /v1/items/:id/slice` (admin): off unless enabled, because each call runs
   * PrusaSlicer for seconds to minutes. Env LAYERWISE_SLICER=prusa-slicer (or a path to it) enables it.
   */
  slicer: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** The PrusaSlicer executable (on PATH or a path). */
      command: z.string().min(1).default('prusa-slicer'),
      /** Wall-clock limit of one slicing run, ms (422 `time` above it). */
      timeMs: z.number().int().min(100).default(300_000),
      /** Slicer processes at once; more requests wait, beyond `maxWaiting` they get 503. */
      concurrency: z.number().int().min(1).max(16).default(1),
      maxWaiting: z.number().int().min(0).default(8),
    })
    .prefault({}),
  /** Serve the web UI's static files from this folder at `/` when it exists. */
  uiDir: z.string().optional(),
  /**
   * Level of the structured JSON log (pino, Fastify's own logger, on stdout): at `info` one line per request with
   * its id, method, route, URL, status and latency; `warn`/`error` keep only problems; `silent` turns it off (tests).
   * Env LAYERWISE_LOG_LEVEL; `layerwise serve --log-level`.
   */
  logLevel: z.enum(LOG_LEVELS).default('info'),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ServerConfigInput = z.input<typeof serverConfigSchema>;

/** Parses `read:K1,write:K2,admin:K3` (whitespace tolerated). Throws invalid_argument naming the bad entry. */
export function parseApiKeys(spec: string): ApiKey[] {
  const keys: ApiKey[] = [];
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const scope = entry.slice(0, colon).trim();
    const key = entry.slice(colon + 1).trim();
    if (colon < 0 || !(API_SCOPES as readonly string[]).includes(scope) || key.length < 8) {
      throw new LayerwiseError(
        'invalid_argument',
        `LAYERWISE_API_KEYS entry "${entry.slice(0, 12)}…" is not scope:KEY; use read:KEY, write:KEY or admin:KEY ` +
          'with keys of at least 8 characters, separated by commas',
      );
    }
    keys.push({ key, scope: scope as ApiScope });
  }
  return keys;
}

/**
 * Builds the server config: defaults → `input` (file / code) → env → `flags` (later wins). In the environment,
 * `LAYERWISE_SERVER_CONFIG` is a JSON object of any keys of the schema (`{"connections":{"maxConnections":4096}}`;
 * each top-level key replaces that of `input`, its missing fields take their defaults), then LAYERWISE_PORT,
 * LAYERWISE_HOST and LAYERWISE_API_KEYS.
 */
export function loadServerConfig(
  input: ServerConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
  flags: { port?: number; host?: string; logLevel?: string } = {},
): ServerConfig {
  const merged: Record<string, unknown> = { ...input, ...serverConfigFromEnv(env.LAYERWISE_SERVER_CONFIG) };
  if (env.LAYERWISE_PORT !== undefined && env.LAYERWISE_PORT !== '') merged.port = Number(env.LAYERWISE_PORT);
  if (env.LAYERWISE_HOST) merged.host = env.LAYERWISE_HOST;
  if (env.LAYERWISE_API_KEYS) merged.apiKeys = parseApiKeys(env.LAYERWISE_API_KEYS);
  if (env.LAYERWISE_LOG_LEVEL) merged.logLevel = env.LAYERWISE_LOG_LEVEL;
  if (env.LAYERWISE_SLICER) {
    const off = ['0', 'off', 'false', 'no'].includes(env.LAYERWISE_SLICER.toLowerCase());
    const given = (merged.slicer ?? {}) as Record<string, unknown>;
    merged.slicer = off ? { ...given, enabled: false } : { ...given, enabled: true, command: env.LAYERWISE_SLICER };
  }
  if (flags.port !== undefined) merged.port = flags.port;
  if (flags.logLevel !== undefined) merged.logLevel = flags.logLevel;
  if (flags.host !== undefined) merged.host = flags.host;
  const parsed = serverConfigSchema.safeParse(merged);
  if (!parsed.success) throw configError('server config', parsed.error.issues);
  return parsed.data;
}

function serverConfigFromEnv(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new LayerwiseError('invalid_argument', `LAYERWISE_SERVER_CONFIG is not JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new LayerwiseError('invalid_argument', 'LAYERWISE_SERVER_CONFIG must be a JSON object of server settings');
  }
  return parsed as Record<string, unknown>;
}

/** The host actually bound: without API keys the API is open, so it listens on localhost only. */
export function effectiveHost(config: ServerConfig): { host: string; openLocalOnly: boolean } {
  if (config.apiKeys.length === 0) return { host: '127.0.0.1', openLocalOnly: true };
  return { host: config.host, openLocalOnly: false };
}

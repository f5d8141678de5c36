/**
 * The one configuration schema of layerwise: defaults → optional file → `LAYERWISE_*` environment → CLI flags
 * (later wins). Unknown keys in a file or in flags are errors. Environment variables map camelCase keys to
 * LAYERWISE_SNAKE_CASE (`dataDir` ← LAYERWISE_DATA_DIR); values that are not plain strings are given as JSON
 * (`LAYERWISE_INGEST_WORKERS=2`, `LAYERWISE_API_KEYS='["k1"]'`). To add a setting, add a documented field here.
 */
import { z } from 'zod';
import { LayerwiseError } from '../core/errors.js';

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
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => {
        const key = i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : '(root)');
        return `${key}: ${i.message} (set it with --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} or ${envName(key)})`;
      })
      .join('; ');
    throw new LayerwiseError('invalid_argument', `invalid configuration: ${msg}`, {
      details: { issues: r.error.issues },
    });
  }
  return r.data;
}

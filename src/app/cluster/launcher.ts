/**
 * `layerwise cluster`: a development launcher that starts N API replicas (`layerwise serve`) and M job workers
 * (`layerwise worker`) as separate processes on this machine against one PostgreSQL and one Redis, each with its
 * own data directory — so nothing can pass between them through local disk — and stops them all together. The
 * cluster test drives exactly these commands, and compose.yaml runs the same ones.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LayerwiseError } from '../../core/errors.js';

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Redis key prefix (default `layerwise`); tests use a fresh one. */
  redisPrefix?: string;
  replicas: number;
  workers: number;
  /** Parent of the per-process data dirs (`replica-1`, `worker-1`, …). */
  dataDir: string;
  /** First replica's port; the others follow (0: each picks a free port). Default 7070. */
  basePort?: number;
  /** Extra environment for every process (API keys, log settings, test knobs). */
  env?: Record<string, string>;
  /** Where each process' output lines go (default: stdout, prefixed with the process name). */
  onLine?: (name: string, line: string) => void;
  /** Milliseconds to wait for every process to be ready (default 60 s). */
  readyTimeoutMs?: number;
}

export interface ClusterProcess {
  name: string;
  role: 'serve' | 'worker';
  dataDir: string;
  child: ChildProcess;
  /** Replicas only: the base URL. */
  url?: string;
}

export interface RunningCluster {
  replicas: ClusterProcess[];
  workers: ClusterProcess[];
  /** Starts one more worker (tests replace a killed one). */
  addWorker(): Promise<ClusterProcess>;
  /** SIGTERM to every process still running, then SIGKILL after `graceMs`; resolves when all have exited. */
  stop(graceMs?: number): Promise<void>;
}

/** The `layerwise` executable beside this package (bin/layerwise.js; runs dist/). */
export function layerwiseBin(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'layerwise.js');
}

/** The command line of each role, shared by the launcher, the cluster test and compose.yaml. */
export function roleArgs(role: 'serve' | 'worker', dataDir: string, port?: number): string[] {
  return role === 'serve'
    ? ['serve', '--data-dir', dataDir, '--port', String(port ?? 7070)]
    : ['worker', '--data-dir', dataDir];
}

const READY = {
  serve: /layerwise: serving .*? at (http:\/\/[^\s/]+)/,
  worker: /layerwise: worker .* ready/,
};

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  for (const [k, v] of [
    ['replicas', options.replicas],
    ['workers', options.workers],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 64) {
      throw new LayerwiseError('invalid_argument', `--${k} must be an integer 0–64, got ${v}`);
    }
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    LAYERWISE_DATABASE_URL: options.databaseUrl,
    LAYERWISE_REDIS_URL: options.redisUrl,
    LAYERWISE_REDIS_PREFIX: options.redisPrefix ?? 'layerwise',
  };
  const onLine = options.onLine ?? ((name, line) => process.stdout.write(`[${name}] ${line}\n`));
  const all: ClusterProcess[] = [];
  const timeout = options.readyTimeoutMs ?? 60_000;
  const counts = { serve: 0, worker: 0 };

  const launch = (role: 'serve' | 'worker'): Promise<ClusterProcess> => {
    const n = ++counts[role];
    const name = `${role === 'serve' ? 'replica' : 'worker'}-${n}`;
    const dataDir = join(resolve(options.dataDir), name);
    mkdirSync(dataDir, { recursive: true });
    const base = options.basePort ?? 7070;
    const port = base === 0 ? 0 : base + n - 1;
    const child = spawn(process.execPath, [layerwiseBin(), ...roleArgs(role, dataDir, port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: ClusterProcess = { name, role, dataDir, child };
    all.push(proc);
    return new Promise<ClusterProcess>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new LayerwiseError('unavailable', `${name} not ready after ${timeout} ms`)),
        timeout,
      );
      let buffered = '';
      const lines = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let i = buffered.indexOf('\n');
        while (i >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          onLine(name, line);
          const m = READY[role].exec(line);
          if (m) {
            if (role === 'serve') proc.url = m[1]!;
            clearTimeout(timer);
            ok(proc);
          }
          i = buffered.indexOf('\n');
        }
      };
      child.stdout?.on('data', lines);
      child.stderr?.on('data', lines);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new LayerwiseError('unavailable', `${name} exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
  };

  const stop = async (graceMs = 5000): Promise<void> => {
    await Promise.all(
      all.map(
        (p) =>
          new Promise<void>((done) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return done();
            const kill = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
            p.child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            p.child.kill('SIGTERM');
          }),
      ),
    );
  };

  try {
    // Workers first: the first replica may enqueue work at once. Replicas one after another (each migrates or
    // checks the schema on open; concurrent first opens would race to create it).
    const workers: ClusterProcess[] = [];
    for (let i = 0; i < options.workers; i++) workers.push(await launch('worker'));
    const replicas: ClusterProcess[] = [];
    for (let i = 0; i < options.replicas; i++) replicas.push(await launch('serve'));
    return { replicas, workers, addWorker: () => launch('worker'), stop };
  } catch (e) {
    await stop(1000);
    throw e;
  }
}

/**
 * Starts a worker thread from a module beside the caller: its compiled `.js` when the code runs compiled (dist/), else
 * its `.ts` source through tsx's loader (vitest, tsx), so tests exercise the same threads as production.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `js`: the compiled entry, e.g. `new URL('./mesh-worker.js', import.meta.url)`. */
export function spawnModuleWorker(js: URL, options: WorkerOptions = {}): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL(js.href.replace(/\.js$/, '.ts'));
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(ts.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

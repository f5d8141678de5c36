/**
 * Child processes for the fault suite: a real server (the API test fixture on a temp data dir, listening on a free
 * port) and the real CLI, both run from the TypeScript sources through tsx, so that the parent can `kill -9` them.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export interface ServerChild {
  child: ChildProcess;
  url: string;
  dir: string;
}

/** Starts `serve-child.ts` (a fresh fixture library in a temp dir): resolves once it listens. */
export function startServerChild(env: NodeJS.ProcessEnv = {}): Promise<ServerChild> {
  const child = fork(here('./serve-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string; dir: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`server child exited with ${code} before listening`)));
  });
}

/** Runs the CLI with `args`; resolves with the child (already spawned) and a promise of its exit code. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exit: Promise<number> } {
  const child = fork(here('./cli-child.ts'), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exit = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 137 : 1))),
  );
  return { child, exit };
}

/** SIGKILL and wait for the exit. */
export async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

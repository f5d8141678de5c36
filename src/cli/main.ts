/** Entry point of the `layerwise` command: parse flags, run one command, return its exit status. */
import { Command, CommanderError } from 'commander';
import { isLayerwiseError } from '../core/errors.js';
import { commands } from './commands/index.js';
import { type CliIo, processIo } from './io.js';

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('layerwise')
    .description('Recommendations, shape search and printability reports for 3D-printing model libraries')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const ctx = { io, setExitCode: (c: number) => void (exitCode = c) };
  for (const register of commands) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isLayerwiseError(e)) {
      io.err(`layerwise: ${e.code}: ${e.message}`);
      return e.code === 'invalid_argument' ? 2 : 1;
    }
    io.err(`layerwise: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

/** Types shared by every CLI command file (kept apart from the registry so commands do not import it). */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Sets the process exit code for a command; `run` resolves to it. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

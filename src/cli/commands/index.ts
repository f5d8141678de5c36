/**
 * The registry of CLI commands: each command lives in its own file and exports `register`. Adding a command is one
 * new file plus one line here.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { register as doctor } from './doctor.js';

/** Sets the process exit code for a command; `run` resolves to it. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export const commands: RegisterCommand[] = [doctor];

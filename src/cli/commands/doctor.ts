/**
 * `layerwise doctor [--json]`: reports the active compute backend (native OpenBLAS or portable js), why, its
 * threads, and a ~2-second fp32 GEMM probe. JSON: `{ backend, threads, gemmGflops, reason? }` (+ gemmSize, gemmRuns).
 */
import type { Command } from 'commander';
import { probeCompute } from '../../app/system/doctor.js';
import { LayerwiseError } from '../../core/errors.js';
import type { CliIo } from '../io.js';

/** Structurally a RegisterCommand (not imported from ./index.js, which imports this file: no cycle). */
export const register = (program: Command, ctx: { io: CliIo; setExitCode(code: number): void }): void => {
  program
    .command('doctor')
    .description('check the compute backend (native OpenBLAS or portable) and measure GEMM speed')
    .option('--json', 'print one JSON object')
    .option('--seconds <s>', 'length of the GEMM probe in seconds', '2')
    .action((opts: { json?: boolean; seconds: string }) => {
      const seconds = Number(opts.seconds);
      if (!(seconds > 0 && seconds <= 60))
        throw new LayerwiseError('invalid_argument', `--seconds must be a number in (0, 60], got "${opts.seconds}"`);
      const r = probeCompute({ seconds });
      if (opts.json) {
        ctx.io.out(JSON.stringify(r));
        return;
      }
      ctx.io.out(`backend:  ${r.backend}${r.reason ? ` (${r.reason})` : ''}`);
      ctx.io.out(`threads:  ${r.threads}`);
      ctx.io.out(`gemm:     ${r.gemmGflops} GFLOP/s (fp32, n=${r.gemmSize}, ${r.gemmRuns} runs)`);
      if (r.backend === 'js')
        ctx.io.out('hint:     apt-get install libopenblas-dev, then `npm rebuild layerwise` for the native backend');
    });
};

/**
 * `layerwise scores [--user A,B] [--out FILE]`: the top-k lists the last batch-scoring job stored (`layerwise jobs
 * add score`), one JSON object per line — user, model, k, items with scores, when — for an operator to export.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { loadConfig } from '../../app/config.js';
import { withStore } from '../../app/store.js';
import { userScoreLines } from '../../app/worker/score.js';
import { listFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  user?: string;
  out?: string;
  dataDir?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('scores')
    .description("export the users' top-k lists stored by the last batch-scoring job, as JSON lines")
    .option('--user <ids>', 'only these users (comma-separated)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const users = f.user === undefined ? undefined : listFlag(f.user);
      const n = await withStore(config, async (store) => {
        let count = 0;
        if (f.out === undefined) {
          for await (const line of userScoreLines(store, users)) {
            ctx.io.out(line);
            count++;
          }
          return count;
        }
        const file = createWriteStream(f.out);
        for await (const line of userScoreLines(store, users)) {
          if (!file.write(`${line}\n`)) await once(file, 'drain');
          count++;
        }
        file.end();
        await once(file, 'finish');
        return count;
      });
      if (f.out !== undefined) ctx.io.err(`layerwise: ${n} users' lists written to ${f.out}`);
    });
};

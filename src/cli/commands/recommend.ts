/**
 * `layerwise recommend USER [--k N] [--printer ID] [--explain] [--json]`: what the API would answer for the user,
 * computed from the store and the active model (and the running experiment) without a server.
 */
import { loadConfig } from '../../app/config.js';
import { recommendOffline } from '../../app/serve/offline.js';
import { intFlag } from '../flags.js';
import { formatTable } from '../format-table.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  k: string;
  printer?: string;
  explain?: boolean;
  json?: boolean;
  dataDir?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('recommend <user>')
    .description("a user's recommendations as the API would answer them, without a server")
    .option('--k <n>', 'how many', '10')
    .option('--printer <id>', 'printer profile (default: the one saved for the user)')
    .option('--explain', 'print the reasons')
    .option('--json', 'print the API response body')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (user: string, f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const r = await recommendOffline(config, user, {
        k: intFlag('k', f.k, 1, 1000),
        explain: Boolean(f.explain || f.json),
        ...(f.printer !== undefined ? { printer: f.printer } : {}),
      });
      if (f.json) return ctx.io.out(JSON.stringify(r));
      const head = [
        `${r.userId}: ${r.coldStart ? 'cold start (trending)' : `model ${r.model?.id}`}`,
        r.printer ? `printer ${r.printer}` : '',
        r.experiment ? `experiment ${r.experiment}, arm ${r.arm}` : '',
      ].filter(Boolean);
      ctx.io.out(head.join('; '));
      ctx.io.out(
        formatTable(
          [
            { header: '#', align: 'right' },
            { header: 'item' },
            { header: 'title' },
            { header: 'score', align: 'right' },
          ],
          r.items.map((it, i) => [String(i + 1), it.itemId, it.title, it.score.toFixed(4)]),
        ).trimEnd(),
      );
      if (f.explain)
        for (const it of r.items) ctx.io.out(`${it.itemId}: ${it.reasons.map((x) => x.text).join('; ') || '–'}`);
    });
};

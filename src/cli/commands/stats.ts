/**
 * `layerwise stats [--json] [--data-dir D]`: what the store holds —
 * `{ items: { total, byFormat, failed, stubs }, users, events: { total, byType }, embeddings, models }`.
 */
import { loadConfig } from '../../app/config.js';
import { withStore } from '../../app/store.js';
import type { RegisterCommand } from './types.js';

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('stats')
    .description('count items (by format), users and events (by type) in the store')
    .option('--json', 'print one JSON object')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (opts: { json?: boolean; dataDir?: string }) => {
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      const s = await withStore(config, (store) => store.stats());
      if (opts.json) {
        ctx.io.out(JSON.stringify(s));
        return;
      }
      const kv = (o: Record<string, number>) =>
        Object.entries(o)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—';
      ctx.io.out(
        `items:  ${s.items.total} (${kv(s.items.byFormat)}; ${s.items.failed} failed, ${s.items.stubs} stubs)`,
      );
      ctx.io.out(`users:  ${s.users}`);
      ctx.io.out(`events: ${s.events.total} (${kv(s.events.byType)})`);
      if (Object.keys(s.embeddings).length > 0) ctx.io.out(`embeddings: ${kv(s.embeddings)}`);
      ctx.io.out(`models: ${s.models}`);
    });
};

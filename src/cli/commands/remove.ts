/**
 * Removal from the command line (the same use case as the admin API): `layerwise items delete ID [--purge-events]`,
 * `layerwise items update ID --title … [--tags a,b] …`, `layerwise users delete ID`. A running server applies them
 * within its poll interval (it follows the store's removal log).
 */
import { loadConfig } from '../../app/config.js';
import { eraseUser, removeItem, updateItem } from '../../app/removal/index.js';
import { withStore } from '../../app/store.js';
import { listFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface Common {
  dataDir?: string;
  json?: boolean;
}

const dirOpt = ['--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)'] as const;

export const register: RegisterCommand = (program, ctx) => {
  const store = <T>(f: Common, fn: Parameters<typeof withStore<T>>[1]) =>
    withStore(loadConfig({ flags: { dataDir: f.dataDir } }), fn);
  const items = program.command('items').description('unpublish or edit catalogue items');
  items
    .command('delete <id>')
    .description('unpublish an item: gone from lists, recommendations, search and similar (events kept)')
    .option('--purge-events', 'also delete its events')
    .option(...dirOpt)
    .option('--json', 'print JSON')
    .action(async (id: string, f: Common & { purgeEvents?: boolean }) => {
      const r = await store(f, (s) => removeItem(s, id, { purgeEvents: Boolean(f.purgeEvents) }));
      ctx.io.out(
        f.json ? JSON.stringify({ id, ...r }) : `removed ${id}${r.events ? `; ${r.events} events purged` : ''}`,
      );
    });
  items
    .command('update <id>')
    .description("edit an item's metadata")
    .option('--title <text>')
    .option('--description <text>')
    .option('--tags <list>', 'comma-separated; replaces the tags')
    .option('--license <text>')
    .option('--creator <text>')
    .option('--category <text>')
    .option(...dirOpt)
    .option('--json', 'print JSON')
    .action(async (id: string, f: Common & Record<string, string | undefined>) => {
      const patch: Record<string, unknown> = {};
      for (const k of ['title', 'description', 'license', 'creator', 'category'])
        if (f[k] !== undefined) patch[k] = f[k];
      if (f.tags !== undefined) patch.tags = listFlag(f.tags);
      const item = await store(f, (s) => updateItem(s, id, patch));
      ctx.io.out(f.json ? JSON.stringify(item) : `updated ${id}: ${item.title ?? ''}`);
    });
  const users = program.command('users').description('erase users');
  users
    .command('delete <id>')
    .description('erase a user: events, impressions, saved printer; the next retrain forgets them')
    .option(...dirOpt)
    .option('--json', 'print JSON')
    .action(async (id: string, f: Common) => {
      const r = await store(f, (s) => eraseUser(s, id));
      ctx.io.out(
        f.json ? JSON.stringify({ id, ...r }) : `erased ${id}: ${r.events} events, ${r.impressions} impressions`,
      );
    });
};

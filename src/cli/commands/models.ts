/**
 * `layerwise models list|activate|rollback|history`: the model registry for operators — every stored version with
 * its kind and validation metrics, which one is active, and the promotion/rollback log (scheduled retraining writes
 * to it too). A running server follows the store's active version within its poll interval.
 */
import { loadConfig } from '../../app/config.js';
import { withStore } from '../../app/store.js';
import { activateVersion, rollback } from '../../app/train/retrain.js';
import { LayerwiseError } from '../../core/errors.js';
import { intFlag } from '../flags.js';
import { formatTable } from '../format-table.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  dataDir?: string;
  json?: boolean;
  name: string;
}

const NAME = 'recommender';
const cols = (...headers: string[]) => headers.map((header) => ({ header }));

function versionArg(ref: string, name: string): { name: string; version: number } {
  const m = /^(?:([a-z0-9][a-z0-9_-]*)@)?v?(\d+)$/.exec(ref);
  if (!m)
    throw new LayerwiseError(
      'invalid_argument',
      `expected VERSION or NAME@VERSION (e.g. 3 or recommender@3), got '${ref}'`,
    );
  return { name: m[1] ?? name, version: intFlag('version', m[2]!, 1) };
}

export const register: RegisterCommand = (program, ctx) => {
  const models = program.command('models').description('list, activate and roll back trained model versions');
  const common = (c: ReturnType<typeof models.command>) =>
    c
      .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
      .option('--name <name>', 'model name', NAME)
      .option('--json', 'print JSON');

  common(models.command('list').description('every stored version, its validation metrics and the active one')).action(
    async (f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const list = await withStore(config, (s) => s.listModels(f.name));
      const rows = list
        .sort((a, b) => b.version - a.version)
        .map((m) => {
          const metrics = (m.metrics ?? {}) as Record<string, unknown>;
          const kind = (m.config as { kind?: string } | null)?.kind ?? '?';
          return {
            id: `${m.name}@${m.version}`,
            kind,
            active: m.active,
            ndcg: typeof metrics.ndcg === 'number' ? metrics.ndcg : null,
            recall: typeof metrics.recall === 'number' ? metrics.recall : null,
            createdAt: new Date(m.createdAt).toISOString(),
          };
        });
      if (f.json) return ctx.io.out(JSON.stringify(rows));
      if (rows.length === 0) return ctx.io.out(`no versions of ${f.name}: run layerwise train`);
      ctx.io.out(
        formatTable(
          cols('version', 'kind', 'active', 'NDCG', 'recall', 'created'),
          rows.map((r) => [
            r.id,
            r.kind,
            r.active ? '*' : '',
            r.ndcg?.toFixed(4) ?? '–',
            r.recall?.toFixed(4) ?? '–',
            r.createdAt,
          ]),
        ).trimEnd(),
      );
    },
  );

  common(
    models.command('activate <version>').description('serve VERSION (or NAME@VERSION); recorded in the history'),
  ).action(async (ref: string, f: Flags) => {
    const { name, version } = versionArg(ref, f.name);
    const config = loadConfig({ flags: { dataDir: f.dataDir } });
    const change = await withStore(config, async (s) => {
      if ((await s.getModel(name, version, { payload: false })) === null) {
        throw new LayerwiseError('not_found', `${name}@${version} does not exist; see layerwise models list`);
      }
      return activateVersion(s, name, version);
    });
    ctx.io.out(f.json ? JSON.stringify(change) : `active: ${name}@${version} (was ${change.previous ?? 'none'})`);
  });

  common(
    models
      .command('rollback')
      .description('serve the version that served before the current one (or --to VERSION)')
      .option('--to <version>', 'version to roll back to'),
  ).action(async (f: Flags & { to?: string }) => {
    const config = loadConfig({ flags: { dataDir: f.dataDir } });
    const to = f.to === undefined ? undefined : versionArg(f.to, f.name).version;
    const change = await withStore(config, (s) => rollback(s, f.name, to));
    ctx.io.out(
      f.json
        ? JSON.stringify(change)
        : `rolled back: ${f.name}@${change.version} active (was ${change.previous ?? 'none'})`,
    );
  });

  common(
    models
      .command('history')
      .description('promotions, rejections, activations, rollbacks and pruning, newest first')
      .option('--limit <n>', 'entries', '50'),
  ).action(async (f: Flags & { limit: string }) => {
    const config = loadConfig({ flags: { dataDir: f.dataDir } });
    const changes = await withStore(config, (s) =>
      s.listModelChanges({ name: f.name, limit: intFlag('limit', f.limit, 1, 10_000) }),
    );
    if (f.json) return ctx.io.out(JSON.stringify(changes));
    ctx.io.out(
      formatTable(
        cols('when', 'action', 'version', 'previous', 'reason'),
        changes.map((c) => [
          new Date(c.at).toISOString(),
          c.action,
          String(c.version),
          String(c.previous ?? '–'),
          c.reason,
        ]),
      ).trimEnd(),
    );
  });
};

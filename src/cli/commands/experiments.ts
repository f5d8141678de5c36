/**
 * `layerwise experiments list|show|create|start|stop`: A/B tests from the command line (the same use case as
 * `/v1/experiments`). A running server picks up a start or stop within its poll interval; `show` prints the readout:
 * per-arm traffic and online metrics with 95 % intervals, the always-valid comparison and the verdict.
 */
import { loadConfig } from '../../app/config.js';
import { ExperimentService, type ExperimentSpec, ONLINE_METRICS, type Readout } from '../../app/experiments/index.js';
import { withStore } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import { choiceFlag, jsonObjectFlag, numberFlag } from '../flags.js';
import { formatTable } from '../format-table.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  dataDir?: string;
  json?: boolean;
}

const cols = (...headers: string[]) => headers.map((header) => ({ header }));
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
/** A confidence sequence; unbounded (null ends) until the arms have variance. */
const interval = (lo: number | null, hi: number | null) =>
  lo === null || hi === null ? '[unbounded yet]' : `[${pct(lo)}, ${pct(hi)}]`;

/** `name=model[:share]` or `name[:share]` (the active model). */
export function parseArm(text: string): ExperimentSpec['arms'][number] {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=([^:]+))?(?::([0-9.]+))?$/.exec(text);
  if (!m)
    throw new LayerwiseError(
      'invalid_argument',
      `--arm must be NAME=MODEL[:SHARE] (e.g. b=recommender@3:1), got '${text}'`,
    );
  return {
    name: m[1]!,
    model: m[2] ?? null,
    ...(m[3] !== undefined ? { share: numberFlag('arm share', m[3], { min: 0, exclusiveMin: true }) } : {}),
  };
}

function printReadout(r: Readout): string {
  const lines = [`${r.experiment.name} (${r.experiment.id}): ${r.experiment.status}`, `verdict: ${r.verdict.text}`];
  lines.push(
    formatTable(
      cols('arm', 'model', 'users', 'shown', ...ONLINE_METRICS.map((m) => `${m} rate (95% CI)`)),
      r.arms.map((a) => [
        a.name,
        `${a.model ?? 'active'}${a.rules ? ` ${JSON.stringify(a.rules)}` : ''}`,
        String(a.users),
        String(a.impressions),
        ...ONLINE_METRICS.map((m) => {
          const x = a.metrics[m].perImpression;
          return `${pct(x.rate)} (${pct(x.lo)}–${pct(x.hi)})`;
        }),
      ]),
    ).trimEnd(),
  );
  for (const c of r.comparisons) {
    lines.push(
      `${c.arm} − ${c.control} on ${c.metric}: ${pct(c.difference)} ${interval(c.lo, c.hi)}, always-valid p ${c.p.toPrecision(3)}${c.significant ? ' (significant)' : ''}`,
    );
  }
  return lines.join('\n');
}

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program.command('experiments').description('A/B tests of model versions and serving rules');
  const withService = <T>(f: Flags, fn: (s: ExperimentService) => Promise<T>) =>
    withStore(loadConfig({ flags: { dataDir: f.dataDir } }), async (store) => fn(await ExperimentService.open(store)));
  const dir = '--data-dir <dir>';
  const dirHelp = 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)';

  cmd
    .command('list')
    .description('every experiment, newest first')
    .option(dir, dirHelp)
    .option('--json', 'print JSON')
    .action(async (f: Flags) => {
      const list = await withService(f, (s) => s.list());
      if (f.json) return ctx.io.out(JSON.stringify(list));
      if (list.length === 0) return ctx.io.out('no experiments');
      ctx.io.out(
        formatTable(
          cols('id', 'name', 'status', 'arms', 'started'),
          list.map((e) => [
            e.id,
            e.name,
            e.status,
            e.arms.map((a) => `${a.name}=${a.model ?? 'active'}`).join(' '),
            e.startedAt ? new Date(e.startedAt).toISOString() : '–',
          ]),
        ).trimEnd(),
      );
    });

  cmd
    .command('create')
    .description('create an experiment (draft until started)')
    .requiredOption('--name <name>', 'what is tested')
    .option('--id <id>', 'experiment id (default from the name)')
    .option('--arm <arm>', 'NAME=MODEL[:SHARE], twice or more (first = control)', (v, acc: string[]) => [...acc, v], [])
    .option('--rules <json>', 'rule overrides per arm, e.g. \'{"b":{"supportPenalty":1}}\'')
    .option('--metric <metric>', `primary metric (${ONLINE_METRICS.join(', ')})`, 'view')
    .option('--alpha <a>', 'false-positive rate under continuous monitoring', '0.05')
    .option('--start', 'start it at once')
    .option(dir, dirHelp)
    .option('--json', 'print JSON')
    .action(
      async (
        f: Flags & {
          name: string;
          id?: string;
          arm: string[];
          rules?: string;
          metric: string;
          alpha: string;
          start?: boolean;
        },
      ) => {
        const rules = jsonObjectFlag<Record<string, Record<string, number>>>('rules', f.rules);
        const arms = f.arm.map(parseArm).map((a) => (rules[a.name] ? { ...a, rules: rules[a.name]! } : a));
        const spec: ExperimentSpec = {
          name: f.name,
          arms,
          settings: {
            primaryMetric: choiceFlag('metric', f.metric, ONLINE_METRICS),
            alpha: numberFlag('alpha', f.alpha, { min: 0, max: 0.5, exclusiveMin: true }),
          },
          ...(f.id !== undefined ? { id: f.id } : {}),
        };
        const e = await withService(f, async (s) => {
          const created = await s.create(spec);
          return f.start ? s.start(created.id) : created;
        });
        ctx.io.out(f.json ? JSON.stringify(e) : `${e.id}: ${e.status}`);
      },
    );

  for (const action of ['start', 'stop'] as const) {
    cmd
      .command(`${action} <id>`)
      .description(action === 'start' ? 'start assigning users (one experiment at a time)' : 'stop the experiment')
      .option(dir, dirHelp)
      .option('--json', 'print JSON')
      .action(async (id: string, f: Flags) => {
        const e = await withService(f, (s) => (action === 'start' ? s.start(id) : s.stop(id)));
        ctx.io.out(f.json ? JSON.stringify(e) : `${e.id}: ${e.status}`);
      });
  }

  cmd
    .command('show <id>')
    .description('arms, traffic, online metrics with 95% intervals, the always-valid comparison and the verdict')
    .option(dir, dirHelp)
    .option('--json', 'print JSON')
    .action(async (id: string, f: Flags) => {
      const r = await withService(f, (s) => s.readout(id));
      ctx.io.out(f.json ? JSON.stringify(r) : printReadout(r));
    });
};

/**
 * `layerwise jobs [list] [--state S] [--kind K] [--limit N] [--json]` and `layerwise jobs show ID`: the background
 * jobs every process recorded in the store (cluster workers, an embedded server's in-process queue) — id, kind,
 * state, progress, attempts, worker and the last error. The same list as `GET /v1/jobs`.
 * `layerwise jobs add KIND [--data JSON] [--id ID] [--wait]`: a job for the cluster's workers (app/worker/submit.ts);
 * without LAYERWISE_REDIS_URL it runs in this process. Prints the job's record; exits 1 when it failed.
 */
import { loadConfig, loadServerConfig } from '../../app/config.js';
import { getJobInfo, JOB_STATES, jobInfo, listJobInfos } from '../../app/jobs/records.js';
import { JOB_KINDS, type JobKind } from '../../app/jobs/types.js';
import { withStore } from '../../app/store.js';
import { submitJob } from '../../app/worker/submit.js';
import type { JobInfo } from '../../contract/jobs.js';
import { choiceFlag, durationFlag, intFlag, jsonObjectFlag } from '../flags.js';
import { formatTable } from '../format-table.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  dataDir?: string;
  json?: boolean;
  state?: string;
  kind?: string;
  limit: string;
}

interface AddFlags {
  dataDir?: string;
  data?: string;
  id?: string;
  attempts: string;
  wait?: boolean;
  timeout: string;
}

const cols = (...headers: string[]) => headers.map((header) => ({ header }));

function row(j: JobInfo): string[] {
  return [
    j.id,
    j.kind,
    j.state,
    `${Math.round(j.progress * 100)}%`,
    `${j.attempts}/${j.maxAttempts}`,
    j.worker ?? '–',
    j.updatedAt,
    (j.error ?? '').slice(0, 60),
  ];
}

export const register: RegisterCommand = (program, ctx) => {
  const jobs = program.command('jobs').description('background jobs (ingest, embed, thumbnail, train, sweep, score)');
  const list = async (f: Flags) => {
    const config = loadConfig({ flags: { dataDir: f.dataDir } });
    const query = {
      limit: intFlag('limit', f.limit, 1, 1000),
      ...(f.state ? { state: choiceFlag('state', f.state, JOB_STATES) } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
    };
    const rows = await withStore(config, (s) => listJobInfos(s, query));
    if (f.json) return ctx.io.out(JSON.stringify(rows));
    if (rows.length === 0) return ctx.io.out('no jobs');
    ctx.io.out(
      formatTable(
        cols('id', 'kind', 'state', 'progress', 'attempts', 'worker', 'updated', 'error'),
        rows.map(row),
      ).trimEnd(),
    );
  };
  const listOptions = (c: ReturnType<typeof jobs.command>) =>
    c
      .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
      .option('--state <state>', `only jobs in this state (${JOB_STATES.join(', ')})`)
      .option('--kind <kind>', 'only jobs of this kind')
      .option('--limit <n>', 'newest N', '50')
      .option('--json', 'print JSON');
  // `layerwise jobs` alone is `layerwise jobs list` (options on the parent would swallow the subcommand's)
  listOptions(jobs.command('list', { isDefault: true }).description('jobs, newest first')).action(list);
  jobs
    .command('show <id>')
    .description('one job: state, progress, attempts, error, data and result')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (id: string, f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const j = await withStore(config, (s) => getJobInfo(s, id));
      ctx.io.out(JSON.stringify(j, null, 2));
    });
  jobs
    .command('add <kind>')
    .description(
      `add a job (${JOB_KINDS.join(', ')}) for the cluster's workers; without LAYERWISE_REDIS_URL it runs here, now`,
    )
    .option('--data <json>', 'what the job is asked to do, e.g. \'{"k":20}\' for score (default {})')
    .option('--id <id>', 'idempotency key: a job with this id that is still known is not added again')
    .option('--attempts <n>', 'tries before the job fails', '3')
    .option('--wait', 'cluster: wait until a worker has finished it')
    .option('--timeout <duration>', 'with --wait: give up waiting after this', '1h')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .action(async (kind: string, f: AddFlags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const request = {
        kind: choiceFlag('kind', kind, JOB_KINDS) as JobKind,
        data: jsonObjectFlag('data', f.data),
        attempts: intFlag('attempts', f.attempts, 1, 100),
        ...(f.id ? { id: f.id } : {}),
      };
      const r = await submitJob(config, loadServerConfig({}, process.env, {}), request, {
        wait: f.wait === true,
        timeoutMs: durationFlag('timeout', f.timeout),
        log: (line) => ctx.io.err(`layerwise jobs: ${line}`),
      });
      ctx.io.out(JSON.stringify(jobInfo(r), null, 2));
      if (r.state === 'failed') ctx.setExitCode(1);
    });
};

/**
 * The operator's CLI through the built command (`node bin/layerwise.js`, one process per call) on a small real store
 * (the API test library: 18 items, 30 users, SQLite): `recommend`, `train`, `models list|activate|rollback|history`,
 * `experiments create|list|show|start|stop`, `items update|delete`, `users delete` — their output, what they change
 * in the store, and their exit codes on bad input (unknown user, version, experiment, item; malformed arguments).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/data.js';
import { seedStore } from '../../api/testing/fixture.js';
import type { RecommendationResponse } from '../../app/serve/types.js';
import { openSqliteStore } from '../../store/sqlite.js';

/** Every call is a fresh node process loading the CLI (about 1.5 CPU s): a generous limit for a busy machine. */
const SLOW = 300_000;
const run = promisify(execFile);
const bin = join(repoRoot, 'bin', 'layerwise.js');
const dir = mkdtempSync(join(tmpdir(), 'lw-cli-operator-'));
// the CLI reads its store from --data-dir only: no database URL or data dir from the environment
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'LAYERWISE_DATABASE_URL' && k !== 'LAYERWISE_DATA_DIR'),
);

function newestSource(path: string): number {
  let m = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) m = Math.max(m, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) m = Math.max(m, statSync(p).mtimeMs);
  }
  return m;
}

/** Builds dist/ when a source is newer than the compiled CLI (CI builds first). */
async function ensureBuilt(): Promise<void> {
  const main = join(repoRoot, 'dist', 'cli', 'main.js');
  if (existsSync(main) && newestSource(join(repoRoot, 'src')) <= statSync(main).mtimeMs) return;
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot }).catch(() => undefined);
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run('node', [bin, ...args, '--data-dir', dir], { cwd: repoRoot, encoding: 'utf8', env });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

/** Runs a command that must succeed and returns its stdout. */
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.code, `layerwise ${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

const recommend = async (user: string, ...flags: string[]) =>
  JSON.parse(await ok('recommend', user, '--json', ...flags)) as RecommendationResponse;

beforeAll(async () => {
  await ensureBuilt();
  const store = await openSqliteStore(join(dir, 'layerwise.db'));
  await seedStore(store);
  await store.close();
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('layerwise recommend', () => {
  it(
    'answers as the API would, from the store and the active model',
    async () => {
      const r = await recommend('user-4', '--k', '5');
      expect(r).toMatchObject({ userId: 'user-4', coldStart: false, model: { id: 'ease@1' }, experiment: null });
      expect(r.items).toHaveLength(5);
      // user-4 is a gear user (user u likes category u % 3): the model recommends gears it has not printed
      expect(r.items[0]!.itemId).toMatch(/^gear-/);
      const text = await ok('recommend', 'user-4', '--k', '3', '--explain');
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toBe('user-4: model ease@1');
      expect(lines[1]).toMatch(/#\s+item\s+title\s+score/);
      expect(lines).toHaveLength(1 + 2 + 3 + 3); // head, table header + rule, 3 rows, 3 reason lines
      expect(lines[6]).toMatch(/^gear-\d: .+/);
    },
    SLOW,
  );

  it(
    'gives an unknown user the cold-start ranking, and refuses a bad --k or printer',
    async () => {
      const r = await recommend('nobody-at-all');
      expect(r).toMatchObject({ coldStart: true, model: null });
      expect(r.items).toHaveLength(10);
      expect((await ok('recommend', 'nobody-at-all', '--k', '2')).split('\n')[0]).toBe(
        'nobody-at-all: cold start (trending)',
      );
      const badK = await cli('recommend', 'user-4', '--k', '0');
      expect(badK.code).toBe(2);
      expect(badK.err).toMatch(/invalid_argument: .*k/);
      const badPrinter = await cli('recommend', 'user-4', '--printer', 'no-such-printer');
      expect(badPrinter.code).toBe(2);
      expect(badPrinter.err).toMatch(/invalid_argument/);
    },
    SLOW,
  );
});

describe('layerwise models', () => {
  it(
    'lists trained versions, activates, rolls back and records each change; unknown versions fail',
    async () => {
      expect(await ok('models', 'list')).toBe('no versions of recommender: run layerwise train\n');
      await ok('train', '--models', 'pop,itemknn', '--item-features', 'none');
      const list = JSON.parse(await ok('models', 'list', '--json')) as { id: string; kind: string; active: boolean }[];
      expect(list.map((m) => [m.id, m.kind])).toEqual([
        ['recommender@2', 'itemknn'],
        ['recommender@1', 'pop'],
      ]);
      expect(list.filter((m) => m.active)).toHaveLength(1);
      const best = list.find((m) => m.active)!.id;
      const table = await ok('models', 'list');
      expect(table).toMatch(new RegExp(`${best}\\s+\\w+\\s+\\*`));

      expect(await ok('models', 'activate', '1')).toBe(`active: recommender@1 (was ${best.split('@')[1]})\n`);
      expect((await recommend('user-4')).model?.id).toBe('recommender@1');
      expect(await ok('models', 'activate', 'recommender@2')).toBe('active: recommender@2 (was 1)\n');
      expect(await ok('models', 'rollback')).toBe('rolled back: recommender@1 active (was 2)\n');
      expect((await recommend('user-4')).model?.id).toBe('recommender@1');

      const missing = await cli('models', 'activate', '99');
      expect(missing).toMatchObject({ code: 1, out: '' });
      expect(missing.err).toMatch(/not_found: recommender@99 does not exist/);
      const malformed = await cli('models', 'activate', 'latest');
      expect(malformed.code).toBe(2);
      expect(malformed.err).toMatch(/invalid_argument: expected VERSION or NAME@VERSION/);
      expect((await cli('models', 'rollback', '--to', '42')).code).toBe(1);

      const history = JSON.parse(await ok('models', 'history', '--json')) as { action: string; version: number }[];
      expect(history.slice(0, 3).map((c) => [c.action, c.version])).toEqual([
        ['rollback', 1],
        ['activate', 2],
        ['activate', 1],
      ]);
    },
    SLOW,
  );
});

describe('layerwise experiments', () => {
  it(
    'creates, starts, shows, stops; recommend names the arm; unknown experiments and models fail',
    async () => {
      const created = JSON.parse(
        await ok(
          'experiments',
          'create',
          '--name',
          'pop vs knn',
          '--id',
          'pk',
          '--arm',
          'pop=recommender@1',
          '--arm',
          'knn=recommender@2',
          '--json',
        ),
      ) as { id: string; status: string };
      expect(created).toMatchObject({ id: 'pk', status: 'draft' });
      expect(await ok('experiments', 'start', 'pk')).toBe('pk: running\n');
      expect(await ok('experiments', 'list')).toMatch(
        /pk\s+pop vs knn\s+running\s+pop=recommender@1 knn=recommender@2/,
      );
      const r = await recommend('user-7');
      expect(r.experiment).toBe('pk');
      expect(r.model?.id).toBe(r.arm === 'pop' ? 'recommender@1' : 'recommender@2');
      expect((await ok('recommend', 'user-7')).split('\n')[0]).toContain(`experiment pk, arm ${r.arm}`);
      const show = await ok('experiments', 'show', 'pk');
      expect(show.split('\n')[0]).toBe('pop vs knn (pk): running');
      expect(show).toMatch(/pop\s+recommender@1/);
      expect(show).toMatch(/knn − pop on view/);
      const readout = JSON.parse(await ok('experiments', 'show', 'pk', '--json')) as { verdict: { state: string } };
      expect(readout.verdict.state).toBe('collecting'); // `recommend` is an operator's look: no impressions logged

      const unknown = await cli('experiments', 'start', 'no-such');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/not_found: no experiment "no-such"/);
      const badModel = await cli('experiments', 'create', '--name', 'x', '--arm', 'a=recommender@9', '--arm', 'b');
      expect(badModel.code).toBe(1);
      expect(badModel.err).toMatch(/not_found: arm "a": no model recommender@9/);
      const oneArm = await cli('experiments', 'create', '--name', 'x', '--arm', 'a');
      expect(oneArm.code).toBe(2);
      expect(oneArm.err).toMatch(/at least two arms/);

      expect(await ok('experiments', 'stop', 'pk')).toBe('pk: stopped\n');
      expect((await recommend('user-7')).experiment).toBeNull();
    },
    SLOW,
  );
});

describe('layerwise items / users', () => {
  it(
    'edits and unpublishes items and erases users; nothing removed is recommended; unknown ids fail',
    async () => {
      expect(await ok('items', 'update', 'vase-1', '--title', 'Spiral planter', '--tags', 'spiral,planter')).toBe(
        'updated vase-1: Spiral planter\n',
      );
      const gearUser = await recommend('user-1', '--k', '18');
      const shown = gearUser.items.map((i) => i.itemId).find((id) => id.startsWith('gear-'))!;
      expect(shown).toBeDefined();
      expect(await ok('items', 'delete', shown)).toBe(`removed ${shown}\n`);
      expect((await recommend('user-1', '--k', '18')).items.map((i) => i.itemId)).not.toContain(shown);
      expect((await recommend('nobody', '--k', '18')).items.map((i) => i.itemId)).not.toContain(shown);
      const again = await cli('items', 'delete', shown);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(new RegExp(`not_found: no item with id "${shown}"`));
      const purged = JSON.parse(await ok('items', 'delete', shown, '--purge-events', '--json')) as { events: number };
      expect(purged.events).toBeGreaterThan(0);
      expect((await cli('items', 'update', 'vase-1')).code).toBe(2); // nothing to edit

      expect((await recommend('user-9')).coldStart).toBe(false);
      const erased = JSON.parse(await ok('users', 'delete', 'user-9', '--json')) as { id: string; events: number };
      expect(erased).toMatchObject({ id: 'user-9', events: 3 });
      expect((await recommend('user-9')).coldStart).toBe(true);
      const gone = await cli('users', 'delete', 'user-9');
      expect(gone.code).toBe(1);
      expect(gone.err).toMatch(/not_found: no user with id "user-9"/);
      expect((await cli('users', 'delete')).code).toBe(1); // commander: missing argument
    },
    SLOW,
  );
});

/** GET /v1/jobs and /v1/jobs/:id over the job records of a real store (what workers and the inline queue write). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../app/config.js';
import { scoreUsers } from '../app/worker/score.js';
import type { JobInfo, StoredScores } from '../contract/jobs.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
  await fx.store.saveJobRecord({ id: 'embed-a', kind: 'embed', state: 'completed', attempts: 2, maxAttempts: 3 });
  await fx.store.saveJobRecord({ id: 'upload-b', kind: 'ingest', state: 'failed', error: 'b.stl: not a mesh' });
  await fx.store.saveJobRecord({ id: 'train-c', kind: 'train', state: 'active', progress: 0.25, worker: 'w1:42' });
});
afterAll(async () => {
  await fx?.close();
});

describe('jobs routes', () => {
  it('lists jobs newest first, filters by state and kind, and shows one', async () => {
    const all = (await (await fetch(`${fx.url}/v1/jobs`)).json()) as JobInfo[];
    expect(all.map((j) => j.id).sort()).toEqual(['embed-a', 'train-c', 'upload-b']);
    const failed = (await (await fetch(`${fx.url}/v1/jobs?state=failed`)).json()) as JobInfo[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: 'upload-b', kind: 'ingest', error: 'b.stl: not a mesh' });
    const trains = (await (await fetch(`${fx.url}/v1/jobs?kind=train`)).json()) as JobInfo[];
    expect(trains.map((j) => j.id)).toEqual(['train-c']);
    const one = await fetch(`${fx.url}/v1/jobs/train-c`);
    expect(one.status).toBe(200);
    const body = (await one.json()) as JobInfo;
    expect(body).toMatchObject({ state: 'active', progress: 0.25, worker: 'w1:42', finishedAt: null });
    expect(Date.parse(body.createdAt)).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown job and 400 for an unknown state', async () => {
    const missing = await fetch(`${fx.url}/v1/jobs/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('not_found');
    expect((await fetch(`${fx.url}/v1/jobs?state=exploded`)).status).toBe(400);
  });

  it("serves a user's batch-scored top-k: the lists the recommendations route answers; 404 before", async () => {
    expect((await fetch(`${fx.url}/v1/users/user-3/scores`)).status).toBe(404);
    const progress: number[] = [];
    const ctx = { id: 'score-api', attempt: 1, progress: async (p: number) => void progress.push(p) };
    const r = await scoreUsers(
      fx.store,
      loadServerConfig({}, {}),
      fx.dir,
      { k: 4, userIds: ['user-3', 'user-4'] },
      ctx,
    );
    expect(r).toMatchObject({ k: 4, users: 2, coldStart: 0 });
    expect(progress.at(-1)).toBe(1);
    for (const user of ['user-3', 'user-4']) {
      const res = await fetch(`${fx.url}/v1/users/${user}/scores`);
      expect(res.status).toBe(200);
      const stored = (await res.json()) as StoredScores;
      const live = (await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=4`)).json()) as {
        model: { id: string };
        items: { itemId: string }[];
      };
      expect(stored).toMatchObject({ userId: user, k: 4, coldStart: false, jobId: 'score-api', model: live.model.id });
      expect(stored.items.map((i) => i.itemId)).toEqual(live.items.map((i) => i.itemId));
    }
  });
});

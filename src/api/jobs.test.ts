/** GET /v1/jobs and /v1/jobs/:id over the job records of a real store (what workers and the inline queue write). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../contract/jobs.js';
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
});

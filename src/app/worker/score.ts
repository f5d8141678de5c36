/**
 * The `score` job: each user's top-k with the active model, stored in the store (`user_scores`, one row per user,
 * replaced by the next run) for an operator to export (`layerwise jobs scores`) or a replica to read. The lists are
 * exactly what `GET /v1/users/:id/recommendations?k=K` answers for the same store and model — the same serving state
 * and recommendation service, with the configured business rules (items the user already has are left out, printer
 * and diversity rules) — but with no experiment arm and no impression logged: a batch run is not traffic.
 *
 *   `{userIds?: string[], k?: number}` — absent `userIds`: every user of the store, a page at a time.
 *
 * Idempotent: a second run over the same store and model writes the same rows again.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { loadRecommender } from '../../models/registry.js';
import type { Store, UserScores } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import type { JobContext } from '../jobs/types.js';
import { RecommendationService } from '../serve/recommendations.js';
import { ServingState } from '../serve/state.js';

export interface ScoreResult {
  /** `name@version` of the active model (null: none, every list is the cold-start ranking). */
  model: string | null;
  k: number;
  users: number;
  coldStart: number;
}

const BATCH = 500;

async function* userIdPages(store: Store, ids: string[] | undefined): AsyncIterable<string[]> {
  if (ids !== undefined) {
    for (let i = 0; i < ids.length; i += BATCH) yield ids.slice(i, i + BATCH);
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await store.listUsers(cursor === undefined ? { limit: BATCH } : { limit: BATCH, cursor });
    yield page.items.map((u) => u.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

export async function scoreUsers(
  store: Store,
  server: ServerConfig,
  dataDir: string,
  data: Record<string, unknown>,
  ctx: JobContext,
): Promise<ScoreResult> {
  const maxK = server.recommend.maxK;
  const k = data.k === undefined ? server.recommend.defaultK : data.k;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > maxK) {
    throw new LayerwiseError('invalid_argument', `job data: k must be an integer 1..${maxK}, got ${String(k)}`);
  }
  const ids = data.userIds === undefined ? undefined : data.userIds;
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((u) => typeof u !== 'string' || u.length === 0))) {
    throw new LayerwiseError('invalid_argument', 'job data: userIds must be a list of user ids');
  }
  const dir = resolve(dataDir);
  const state = await ServingState.load(store, {
    config: server,
    loadModel: loadRecommender,
    readPayload: async (p) => new Uint8Array(await readFile(resolve(dir, p))),
    indexDir: join(dir, 'indexes'),
  });
  const recs = new RecommendationService(state, server);
  const total = ids?.length ?? (await store.stats()).users;
  const model = state.model?.ref.id ?? null;
  let users = 0;
  let coldStart = 0;
  for await (const page of userIdPages(store, ids as string[] | undefined)) {
    const rows: UserScores[] = [];
    for (const userId of page) {
      const r = await recs.forUser(userId, { k, explain: false });
      recs.forget(userId); // a batch over every user must not fill the per-user cache
      rows.push({
        userId,
        model: r.model?.id ?? null,
        k,
        items: r.items.map((i) => ({ itemId: i.itemId, score: i.score })),
        coldStart: r.coldStart,
        jobId: ctx.id,
        scoredAt: Date.now(),
      });
      if (r.coldStart) coldStart++;
    }
    await store.putUserScores(rows);
    users += rows.length;
    await ctx.progress(users / Math.max(1, total, users));
  }
  return { model, k, users, coldStart };
}

/** The stored top-k lists as JSON lines (`userIds`: those users; absent: every stored row in user id order). */
export async function* userScoreLines(store: Store, userIds?: string[]): AsyncIterable<string> {
  const line = (r: UserScores) =>
    JSON.stringify({
      userId: r.userId,
      model: r.model,
      k: r.k,
      coldStart: r.coldStart,
      items: r.items,
      jobId: r.jobId,
      scoredAt: new Date(r.scoredAt).toISOString(),
    });
  if (userIds !== undefined) {
    const rows = await store.getUserScores(userIds);
    for (const id of userIds) {
      const r = rows.get(id);
      if (r !== undefined) yield line(r);
    }
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await store.listUserScores(cursor === undefined ? {} : { cursor });
    for (const r of page.items) yield line(r);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * "Print next" against a real server on a real port and a real SQLite store (the API fixture: users of one category
 * each, who looked at items i, i+1, i+2 of it in that order). First without a sequential model (the personal
 * model's neighbours of the latest items), then after `trainFromStore(…, { sequential: ['markov'] })` saved and
 * activated one: the chain has learnt that i+1 follows i.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingState } from '../app/serve/state.js';
import type { ModelInfo, NextItems } from '../app/serve/types.js';
import { trainFromStore } from '../app/train/train.js';
import { createModel } from '../models/registry.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(fx.url + path);
  return { status: res.status, body: (await res.json()) as T };
}
async function post<T = Record<string, unknown>>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(fx.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const state = (): ServingState => (fx.services as unknown as { state: ServingState }).state;

describe('print next without a sequential model', () => {
  it("answers from the personal model's neighbours of the user's latest item, with the reason", async () => {
    // user-0 looked at vase-0 (made it), vase-1, then vase-2
    const { status, body } = await get<NextItems>('/v1/users/user-0/next?k=3');
    expect(status).toBe(200);
    expect(body.source).toBe('latest-neighbours');
    expect(body.model?.id).toBe('ease@1');
    expect(body.after).toEqual({ itemId: 'vase-2', title: 'Fancy vase number 2' });
    expect(body.items.length).toBeGreaterThan(0);
    for (const it of body.items) {
      expect(['vase-0', 'vase-1', 'vase-2']).not.toContain(it.itemId);
      const r = it.reasons.find((x) => x.kind === 'sequence');
      expect(r?.itemId).toMatch(/^vase-[012]$/);
    }
    expect(body.items[0]!.category).toBe('vase');
    expect(body.items[0]!.reasons[0]!.text).toBe('because you just looked at "Fancy vase number 2"');
  });

  it('serves an anonymous session, leaving out unknown ids, and trending without a usable history', async () => {
    const s = await post<NextItems>('/v1/recommendations/session', { items: ['nope', 'gear-1', 'gear-2'], k: 2 });
    expect(s.status).toBe(200);
    expect(s.body.userId).toBeNull();
    expect(s.body.ignored).toEqual(['nope']);
    expect(s.body.after?.itemId).toBe('gear-2');
    expect(s.body.items.map((i) => i.category)).toEqual(['gear', 'gear']);
    expect(s.body.items.map((i) => i.itemId)).not.toContain('gear-1');
    const cold = await post<NextItems>('/v1/recommendations/session', { items: ['nope'] });
    expect(cold.body.source).toBe('trending');
    expect(cold.body.model).toBeNull();
    expect(cold.body.after).toBeNull();
    expect(cold.body.items[0]!.reasons[0]!.kind).toBe('trending');
    const stranger = await get<NextItems>('/v1/users/nobody-at-all/next?k=4');
    expect(stranger.status).toBe(200);
    expect(stranger.body.source).toBe('trending');
    expect(stranger.body.items).toHaveLength(4);
  });

  it('refuses bad input with a typed 400, never a 500', async () => {
    for (const body of [
      { items: [] },
      {},
      { items: [{}] },
      { items: ['x'.repeat(300)] },
      { items: ['vase-1'], k: 0 },
      { items: [''] },
    ]) {
      const r = await post<{ code: string; message: string }>('/v1/recommendations/session', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBeTypeOf('string');
    }
    const tooMany = await post('/v1/recommendations/session', { items: Array(201).fill('vase-1') });
    expect(tooMany.status).toBe(400);
    expect((await get('/v1/users/user-0/next?k=-1')).status).toBe(400);
    expect((await get('/v1/users/user-0/next?printer=no-such-printer')).status).toBe(400);
  });

  it('applies the printer: an item that cannot fit is never suggested next', async () => {
    // vase-5 (300 mm tall, never printed) is at the end of the trending order
    const all = await post<NextItems>('/v1/recommendations/session', { items: ['nope'], k: 18 });
    expect(all.body.items.map((i) => i.itemId)).toContain('vase-5');
    const mini = await post<NextItems>('/v1/recommendations/session', {
      items: ['nope'],
      k: 18,
      printer: 'prusa-mini',
    });
    expect(mini.body.printer).toBe('prusa-mini');
    expect(mini.body.items.map((i) => i.itemId)).not.toContain('vase-5');
    expect(mini.body.items.length).toBe(17);
  });
});

describe('print next with a trained sequential model', () => {
  beforeAll(async () => {
    await expect(trainFromStore(fx.store, { kinds: [], sequential: ['ease'] })).rejects.toThrowError(/order-aware/);
    const summary = await trainFromStore(fx.store, { kinds: [], sequential: ['markov'], validationUsers: 100 });
    expect(summary.sequential?.best?.kind).toBe('markov');
    expect(await state().followActiveSequential()).toBe(true);
  });

  it('reads the history in order: after vase-2 comes vase-3, because the user just looked at vase-2', async () => {
    const { body } = await get<NextItems>('/v1/users/user-0/next?k=3');
    expect(body.source).toBe('sequential');
    expect(body.model).toEqual({ id: 'sequential@1', name: 'sequential', version: 1 });
    expect(body.items[0]!.itemId).toBe('vase-3');
    expect(body.items[0]!.reasons[0]).toMatchObject({
      kind: 'sequence',
      itemId: 'vase-2',
      text: 'because you just looked at "Fancy vase number 2"',
    });
    // the personal recommendations are still the personal model's
    const personal = await get<{ model: { id: string } }>('/v1/users/user-0/recommendations?k=3');
    expect(personal.body.model.id).toBe('ease@1');
  });

  it('follows the order of a session: the same items in another order give another next item', async () => {
    const a = await post<NextItems>('/v1/recommendations/session', { items: ['gear-3', 'gear-4'], k: 1 });
    const b = await post<NextItems>('/v1/recommendations/session', { items: ['gear-4', 'gear-0'], k: 1 });
    expect(a.body.source).toBe('sequential');
    expect(a.body.items[0]!.itemId).toBe('gear-0');
    expect(b.body.items[0]!.itemId).toBe('gear-1');
    // a repeat counts at its latest place
    const c = await post<NextItems>('/v1/recommendations/session', { items: ['gear-0', 'gear-3', 'gear-0'], k: 1 });
    expect(c.body.after?.itemId).toBe('gear-0');
    expect(c.body.items[0]!.itemId).toBe('gear-1');
  });

  it('lists the sequential model as active beside the personal one, and refuses a set model in its slot', async () => {
    const models = await get<ModelInfo[]>('/v1/models');
    const seq = models.body.find((m) => m.id === 'sequential@1');
    expect(seq).toMatchObject({ kind: 'markov', active: true });
    expect(models.body.find((m) => m.id === 'ease@1')?.active).toBe(true);
    const ready = await get<{ checks: { model: { message: string } } }>('/readyz');
    expect(ready.body.checks.model.message).toContain('print next: sequential@1');
    // an EASE artifact saved under "sequential" cannot serve print next
    const ease = createModel('ease', { lambda: 1 });
    await ease.fit(state().model!.model.data);
    await fx.store.saveModel({ name: 'sequential', config: {}, configHash: 'x', metrics: {}, payload: ease.save() });
    const r = await post<{ code: string; message: string }>('/v1/models/sequential@2/activate', {});
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/sasrec, markov or lastknn/);
    expect((await get<NextItems>('/v1/users/user-0/next?k=1')).body.model?.id).toBe('sequential@1');
  });
});

/**
 * Property-based fuzzing of every route of the API (issue 15), against a real in-process server (the API fixture:
 * SQLite store, trained models, uploads parsed in-thread with small limits). The routes come from the wire contract
 * (src/contract/routes.ts): a route added there is fuzzed here without touching this file. For each route, requests
 * are generated from its zod schemas — valid inputs, valid inputs with one part made hostile, hostile inputs, and
 * malformed envelopes (testing/fuzz-requests.ts) — and every answer must be:
 * - not a 5xx (except a 503 the contract declares for the route, i.e. /readyz);
 * - for a 4xx, a JSON `{ code, message }` body;
 * - for a status the contract describes, a body that parses with the contract's schema for it;
 * and the process must survive (a crash kills the test run; /healthz answers at the end, memory stays bounded).
 * Seeded and bounded for CI: LAYERWISE_FUZZ_RUNS (requests per route, default 40) and LAYERWISE_FUZZ_SEED replay or
 * widen a run. A failure prints the shrunk request.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, type RouteDef } from '../contract/routes.js';
import { PRINTERS } from '../geometry/printers.js';
import { EVENT_KINDS } from '../io/events-row.js';
import { ERROR_CODES } from './errors.js';
import { CATEGORIES, type Fixture, startFixture } from './testing/fixture.js';
import { type Hints, hostileString } from './testing/fuzz-inputs.js';
import { closeAgent, type FuzzRequest, type FuzzResponse, requestsFor, send } from './testing/fuzz-requests.js';

const RUNS = Number(process.env.LAYERWISE_FUZZ_RUNS ?? 40);
const SEED = Number(process.env.LAYERWISE_FUZZ_SEED ?? 20260106);
const LIMITS = { defaultK: 10, maxK: 100 };
const routes = apiRoutes(LIMITS);

const itemIds = CATEGORIES.flatMap((c) => Array.from({ length: 6 }, (_, i) => `${c}-${i}`));
const userIds = Array.from({ length: 30 }, (_, i) => `user-${i}`);
const models = ['ease@1', 'itemknn@1', 'ease@2'];
const experiments = ['exp-a', 'exp-b'];
const hints: Hints = {
  id: [...itemIds, ...userIds, ...models, ...experiments],
  userId: userIds,
  itemId: itemIds,
  exclude: itemIds,
  remixOf: itemIds,
  printer: PRINTERS.map((p) => p.id),
  model: [...models, 'ease'],
  category: [...CATEGORIES],
  tag: ['even', 'odd', 'vase'],
  type: [...EVENT_KINDS],
  q: ['vase', 'fancy wall', 'gear'],
  query: ['vase', 'number'],
  name: ['control', 'treatment', 'arm-b', 'arm-c'],
  'keys:rules': ['supportPenalty', 'openMeshPenalty', 'maxPerCreator', 'maxPerFamily'],
};

/** The `:id` of a route is drawn from the ids of what the route is about (plus the others, less often). */
function hintsFor(route: RouteDef): Hints {
  const own = route.url.startsWith('/v1/models')
    ? models
    : route.url.startsWith('/v1/experiments')
      ? experiments
      : route.url.startsWith('/v1/users')
        ? userIds
        : itemIds;
  return { ...hints, id: [...own, ...own, ...own, ...(hints.id ?? [])] };
}

let fx: Fixture;
const startRss = process.memoryUsage().rss;
beforeAll(async () => {
  fx = await startFixture({
    uploads: { maxBytes: 256 * 1024, maxTriangles: 20_000, maxVertices: 60_000, timeMs: 5000 },
  });
});
afterAll(async () => {
  closeAgent();
  await fx?.close();
});

function describeRequest(req: FuzzRequest): string {
  const body = req.body
    ? ` body ${req.body.length} B: ${JSON.stringify(req.body.subarray(0, 300).toString('latin1'))}`
    : '';
  return `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers)}${body}`;
}

/** The checks every answer must pass; returns a complaint or null. */
function complaint(route: RouteDef, res: FuzzResponse): string | null {
  const declared = route.response?.[res.status];
  if (res.status >= 500 && !(res.status === 503 && declared !== undefined))
    return `answered ${res.status}: ${res.text}`;
  const json = res.contentType.includes('application/json');
  if (res.status >= 400) {
    if (!json) return `${res.status} without a JSON body (${res.contentType}): ${res.text.slice(0, 200)}`;
    const body = JSON.parse(res.text) as { code?: unknown; message?: unknown };
    if (typeof body.code !== 'string' || typeof body.message !== 'string') {
      return `${res.status} body is not {code, message}: ${res.text.slice(0, 300)}`;
    }
    if (!(ERROR_CODES as string[]).includes(body.code)) return `${res.status} with unknown code ${body.code}`;
  }
  if (declared !== undefined && json) {
    const parsed = declared.safeParse(JSON.parse(res.text));
    if (!parsed.success) return `${res.status} body does not match the contract: ${parsed.error.message.slice(0, 500)}`;
  }
  return null;
}

describe('fuzzing every route of the contract', () => {
  const seen: Record<string, Record<number, number>> = {};

  for (const [name, route] of Object.entries(routes) as [string, RouteDef][]) {
    it(`${name}: ${route.method} ${route.url}`, async () => {
      const statuses: Record<number, number> = {};
      seen[name] = statuses;
      await fc.assert(
        fc.asyncProperty(requestsFor(route, hintsFor(route)), async (req) => {
          const res = await send(fx.url, req);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const problem = complaint(route, res);
          if (problem !== null) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: false },
      );
      // the generator is worth something only if valid inputs get through validation to the handler
      const passedValidation = Object.entries(statuses).some(([s, n]) => Number(s) !== 400 && n > 0);
      expect(passedValidation, `${name}: every request was a 400 (${JSON.stringify(statuses)})`).toBe(true);
    });
  }

  it('Authorization headers of any shape on a server with keys: 401/403/429 or served, never a 5xx', async () => {
    const keyed = await startFixture(
      { authFailures: { max: 1_000_000, windowMs: 60_000 } },
      { LAYERWISE_API_KEYS: 'read:read-key-123,write:write-key-456' },
    );
    try {
      const printable = hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, '?'));
      const header = fc.oneof(
        fc.constantFrom('Bearer read-key-123', 'Bearer write-key-456', 'bearer read-key-123 ', 'Basic abc', ''),
        printable.map((s) => `Bearer ${s}`),
        printable,
      );
      const all = routes as Record<string, RouteDef>;
      const nameArb = fc.constantFrom(...Object.keys(all));
      const arb = nameArb.chain((n) => fc.tuple(fc.constant(n), requestsFor(all[n]!, hintsFor(all[n]!)), header));
      await fc.assert(
        fc.asyncProperty(arb, async ([name, req, authorization]) => {
          const route = all[name]!;
          const res = await send(keyed.url, req, { authorization });
          const problem = complaint(route, res);
          if (problem !== null) throw new Error(`${problem}\n  request: ${describeRequest(req)} auth ${authorization}`);
          if (route.scope !== 'public' && !authorization.includes('-key-')) {
            // without a valid key nothing is served, and nothing says whether the key was close (no 403)
            const ok = res.status >= 400 && res.status !== 403;
            expect(ok, `${name}: ${describeRequest(req)} → ${res.status} ${res.text.slice(0, 200)}`).toBe(true);
          }
        }),
        { seed: SEED, numRuns: RUNS * 3 },
      );
    } finally {
      await keyed.close();
    }
  });

  it('the server is alive afterwards and its memory stayed bounded', async () => {
    const res = await send(fx.url, { method: 'GET', path: '/healthz', headers: {} });
    expect(res.status).toBe(200);
    const growthMb = (process.memoryUsage().rss - startRss) / 2 ** 20;
    expect(growthMb).toBeLessThan(1024);
    console.log(
      `fuzz: ${RUNS} requests per route, seed ${SEED}, RSS +${growthMb.toFixed(0)} MB; statuses per route:`,
      JSON.stringify(seen),
    );
  });
});

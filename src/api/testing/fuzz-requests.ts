/**
 * Whole HTTP requests for the API fuzzer (api/fuzz.test.ts), one arbitrary per route of the wire contract: path
 * parameters, querystring, JSON body or multipart body generated from the route's zod schemas (via
 * `inputJsonSchema` and testing/fuzz-inputs.ts), plus the malformed envelopes a careless or hostile client sends —
 * bad percent-encoding, repeated or unknown query keys, broken JSON, wrong content types, truncated multipart
 * bodies, wrong boundaries, random or corrupt mesh files. `send` speaks to the server with node:http (keep-alive).
 */
import http from 'node:http';
import fc from 'fast-check';
import { inputJsonSchema, type JsonSchema } from '../../contract/json-schema.js';
import type { RouteDef } from '../../contract/routes.js';
import { box } from '../../geometry/primitives.js';
import { encode3mf, encodeObj, encodeStlAscii, encodeStlBinary } from '../../io/encode.js';
import { conforming, fuzzed, type Hints, hostileString } from './fuzz-inputs.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

const RAW_SEGMENTS = ['%', '%zz', '..', '%2e%2e', '%00', '%E0%A4%A', 'a%2Fb', '~', '%20', "'", '%FF%FE', '%C0%AF'];
const RAW_QUERIES = ['k=1&k=2', '%', 'a[b]=1', '=&=&', 'k', 'k=', `${'x=1&'.repeat(300)}y=2`, 'limit=1e3', 'k=0x10'];
const BAD_JSON = [
  '{',
  '{"events":',
  'nul',
  '[]',
  '"text"',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"__proto__":{"polluted":1},"events":[]}',
  '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(3000),
  `{"events":[${'{},'.repeat(500)}{}]}`,
  '{"events":[{"userId":"u","itemId":"vase-1","type":"view","weight":1e999}]}',
];

/** encodeURIComponent for any string (a lone surrogate, which it throws on, is sent as U+FFFD like a browser). */
function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.!~*'()]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function encodeSegment(v: unknown): string {
  return pct(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
}

function queryString(v: unknown): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `q=${encodeSegment(v)}`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const values = Array.isArray(x) ? x : [x];
    for (const one of values) {
      const s = typeof one === 'string' ? one : typeof one === 'object' ? JSON.stringify(one) : String(one);
      parts.push(`${pct(k)}=${pct(s)}`);
    }
  }
  return parts.join('&');
}

/** Mesh files: valid ones of several formats and sizes, and broken ones. */
const meshFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 80 }))
      .map(([x, y, z]) => encodeStlBinary(box([x, y, z]))),
  },
  { weight: 1, arbitrary: fc.constant(new TextEncoder().encode(encodeStlAscii(box([5, 6, 7])))) },
  { weight: 1, arbitrary: fc.constant(new TextEncoder().encode(encodeObj(box([9, 3, 4])))) },
  { weight: 1, arbitrary: fc.constant(encode3mf([{ name: 'tower', mesh: box([4, 4, 12]) }])) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 3000 }) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 80 }), fc.nat()).map(([s, cut]) => {
      const b = encodeStlBinary(box([s, s, 2 * s]));
      return b.slice(0, cut % b.length);
    }),
  },
  {
    weight: 1,
    arbitrary: fc.nat().map((n) => {
      const b = encodeStlBinary(box([3, 3, 3]));
      new DataView(b.buffer).setUint32(80, 1_000_000 + n, true); // header claims far more triangles than sent
      return b;
    }),
  },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
  { weight: 1, arbitrary: hostileString.map((s) => new TextEncoder().encode(`solid x\n${s}\nendsolid`)) },
);

const fileName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('part.stl', 'part.obj', 'part.3mf', 'PART.STL') },
  { weight: 1, arbitrary: fc.constantFrom('', 'noext', '../../x.stl', 'a"b.stl', 'x.exe', 'ü.stl') },
);

function multipartBody(
  fields: Record<string, unknown>,
  files: { field: string; name: string; bytes: Uint8Array }[],
  boundary: string,
): Buffer {
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${text}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(f.bytes),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function multipartArb(schema: JsonSchema, hints: Hints): fc.Arbitrary<Pick<FuzzRequest, 'headers' | 'body'>> {
  type Part = { field: string; name: string; bytes: Uint8Array };
  const files: fc.Arbitrary<Part[]> = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(meshFile, fileName).map(([bytes, name]) => [{ field: 'file', name, bytes }]) },
    { weight: 1, arbitrary: fc.constant<Part[]>([]) },
    {
      weight: 1,
      arbitrary: fc.tuple(meshFile, meshFile).map(([a, b]) => [
        { field: 'file', name: 'a.stl', bytes: a },
        { field: 'file', name: 'b.stl', bytes: b },
      ]),
    },
    { weight: 1, arbitrary: meshFile.map((bytes) => [{ field: 'other', name: 'x.stl', bytes }]) },
  );
  const fields = fuzzed(schema, hints).map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}));
  return fc
    .record({
      fields,
      files,
      envelope: fc.oneof(
        { weight: 8, arbitrary: fc.constant('ok' as const) },
        { weight: 1, arbitrary: fc.constantFrom('no-boundary', 'wrong-boundary', 'not-multipart') },
        { weight: 1, arbitrary: fc.nat().map((n) => n) },
      ),
    })
    .map(({ fields, files, envelope }) => {
      const boundary = 'fuzzBoundary7MA4YWxk';
      let body = multipartBody(fields as Record<string, unknown>, files, boundary);
      let type = `multipart/form-data; boundary=${boundary}`;
      if (typeof envelope === 'number') body = body.subarray(0, envelope % Math.max(1, body.length));
      else if (envelope === 'no-boundary') type = 'multipart/form-data';
      else if (envelope === 'wrong-boundary') type = 'multipart/form-data; boundary=somethingElse';
      else if (envelope === 'not-multipart') type = 'application/octet-stream';
      return { headers: { 'content-type': type }, body };
    });
}

function jsonBodyArb(
  schema: JsonSchema | undefined,
  hints: Hints,
): fc.Arbitrary<Pick<FuzzRequest, 'headers' | 'body'>> {
  const json = { 'content-type': 'application/json' };
  const value = schema ? fuzzed(schema, hints) : fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    { weight: 8, arbitrary: value.map((v) => ({ headers: json, body: Buffer.from(JSON.stringify(v) ?? 'null') })) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_JSON).map((t) => ({ headers: json, body: Buffer.from(t) })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', ''), value)
        .map(([type, v]) => ({
          headers: type === '' ? {} : { 'content-type': type },
          body: Buffer.from(JSON.stringify(v) ?? ''),
        })),
    },
    { weight: 1, arbitrary: fc.constant({ headers: json, body: Buffer.alloc(0) }) },
  );
}

/** Requests for one route of the contract. */
export function requestsFor(route: RouteDef, hints: Hints): fc.Arbitrary<FuzzRequest> {
  const paramSchema = route.params ? inputJsonSchema(route.params) : undefined;
  const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const segment = (name: string) => {
    const s = ((paramSchema?.properties ?? {}) as Record<string, JsonSchema>)[name] ?? { type: 'string' };
    return fc.oneof(
      { weight: 6, arbitrary: conforming(s, hints, name).map(encodeSegment) },
      { weight: 2, arbitrary: hostileString.map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    );
  };
  const path = fc.tuple(...names.map(segment)).map((values) => {
    let i = 0;
    return route.url.replace(/:(\w+)/g, () => values[i++]!);
  });
  const query = route.querystring
    ? fc.oneof(
        { weight: 8, arbitrary: fuzzed(inputJsonSchema(route.querystring), hints).map(queryString) },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERIES) },
        { weight: 1, arbitrary: fc.constant('') },
      )
    : fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERIES) });
  const payload: fc.Arbitrary<Pick<FuzzRequest, 'headers' | 'body'>> = route.multipart
    ? multipartArb(inputJsonSchema(route.multipart), hints)
    : route.body
      ? jsonBodyArb(inputJsonSchema(route.body), hints)
      : route.method === 'GET'
        ? fc.constant({ headers: {} })
        : fc.oneof(
            { weight: 3, arbitrary: fc.constant({ headers: {} }) },
            { weight: 1, arbitrary: jsonBodyArb(undefined, hints) },
          );
  return fc.record({ path, query, payload }).map(({ path, query, payload }) => ({
    method: route.method,
    path: query === '' ? path : `${path}?${query}`,
    headers: payload.headers,
    ...(payload.body ? { body: payload.body } : {}),
  }));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Sends `req` to `base`; resolves with the status, content type and body text (rejects on a socket error). */
export function send(base: string, req: FuzzRequest, extraHeaders: Record<string, string> = {}): Promise<FuzzResponse> {
  const url = new URL(base);
  const headers: Record<string, string | number> = { ...req.headers, ...extraHeaders };
  if (req.body) headers['content-length'] = req.body.length;
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

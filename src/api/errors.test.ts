import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { statusForCode, toErrorResponse } from './errors.js';

describe('error mapping', () => {
  it('maps codes to statuses in one table; bad input is never a 5xx', () => {
    expect(statusForCode('invalid_argument')).toBe(400);
    expect(statusForCode('unauthorized')).toBe(401);
    expect(statusForCode('forbidden')).toBe(403);
    expect(statusForCode('not_found')).toBe(404);
    expect(statusForCode('limit_exceeded')).toBe(413);
    expect(statusForCode('limit_exceeded', { limit: 'triangles' })).toBe(422);
    expect(statusForCode('parse_error')).toBe(422);
    expect(statusForCode('rate_limited')).toBe(429);
    expect(statusForCode('internal')).toBe(500);
  });

  it('turns LayerwiseErrors, Fastify validation errors and unknown errors into { code, message }', () => {
    const e = toErrorResponse(new LayerwiseError('not_found', 'no item x', { details: { id: 'x' } }));
    expect(e).toEqual({ status: 404, body: { code: 'not_found', message: 'no item x', details: { id: 'x' } } });
    const v = toErrorResponse(
      Object.assign(new Error('querystring/k must be >= 1'), { validation: [{}], statusCode: 400 }),
    );
    expect(v).toEqual({
      status: 400,
      body: { code: 'invalid_argument', message: 'invalid request querystring/k must be >= 1' },
    });
    const big = toErrorResponse(
      Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE', statusCode: 413 }),
    );
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('limit_exceeded');
    const boom = toErrorResponse(new TypeError('secret internals'));
    expect(boom.status).toBe(500);
    expect(boom.body.message).not.toMatch(/secret/);
  });
});

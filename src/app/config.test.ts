import { describe, expect, it } from 'vitest';
import { effectiveHost, loadServerConfig, parseApiKeys } from './config.js';

describe('server config', () => {
  it('has documented defaults and listens on localhost only without keys', () => {
    const c = loadServerConfig({}, {});
    expect(c.port).toBe(7070);
    expect(c.recommend.maxK).toBe(100);
    expect(effectiveHost(c)).toEqual({ host: '127.0.0.1', openLocalOnly: true });
  });

  it('layers env over input and flags over env', () => {
    const env = { LAYERWISE_PORT: '8080', LAYERWISE_API_KEYS: 'read:abcdefgh,admin:12345678', LAYERWISE_HOST: '::' };
    const c = loadServerConfig({ port: 1 }, env, { port: 9090 });
    expect(c.port).toBe(9090);
    expect(c.apiKeys).toEqual([
      { key: 'abcdefgh', scope: 'read' },
      { key: '12345678', scope: 'admin' },
    ]);
    expect(effectiveHost(c)).toEqual({ host: '::', openLocalOnly: false });
    expect(loadServerConfig({}, env).port).toBe(8080);
  });

  it('takes any server setting from LAYERWISE_SERVER_CONFIG (JSON), between the input and the flags', () => {
    const env = { LAYERWISE_SERVER_CONFIG: '{"connections":{"maxConnections":64},"authFailures":{"max":5}}' };
    const c = loadServerConfig({ connections: { maxConnections: 8, headersTimeoutMs: 2000 } }, env);
    expect(c.connections).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 64,
    });
    expect(c.authFailures).toEqual({ max: 5, windowMs: 60_000 });
    expect(() => loadServerConfig({}, { LAYERWISE_SERVER_CONFIG: '{"connections":{"maxConections":1}}' })).toThrow(
      /maxConections/,
    );
    expect(() => loadServerConfig({}, { LAYERWISE_SERVER_CONFIG: '[1]' })).toThrow(/JSON object/);
    expect(() => loadServerConfig({}, { LAYERWISE_SERVER_CONFIG: '{maxConnections' })).toThrow(/not JSON/);
  });

  it('rejects unknown keys, bad ports and malformed key lists, saying what was wrong', () => {
    expect(() => loadServerConfig({ prot: 1 } as never, {})).toThrow(/prot/);
    expect(() => loadServerConfig({}, { LAYERWISE_PORT: 'eighty' })).toThrow(/port/);
    expect(() => parseApiKeys('root:abcdefgh')).toThrow(/read:KEY/);
    expect(() => parseApiKeys('read:short')).toThrow(/8 characters/);
  });
});

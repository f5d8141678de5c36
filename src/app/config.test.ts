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

  it('rejects unknown keys, bad ports and malformed key lists, saying what was wrong', () => {
    expect(() => loadServerConfig({ prot: 1 } as never, {})).toThrow(/prot/);
    expect(() => loadServerConfig({}, { LAYERWISE_PORT: 'eighty' })).toThrow(/port/);
    expect(() => parseApiKeys('root:abcdefgh')).toThrow(/read:KEY/);
    expect(() => parseApiKeys('read:short')).toThrow(/8 characters/);
  });
});

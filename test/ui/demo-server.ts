/**
 * A real layerwise server over a small generated demo library, for the browser tests: demo models and users
 * (generated + ingested), shape embeddings (PointNet, a few epochs), recommenders trained and saved like
 * `layerwise train --sequential markov` (validation metrics, CIs, curves, losses; the Markov chain validated
 * leave-one-out and activated as the "print next" model), then `createServices` + `buildServer` serving the
 * built UI on an ephemeral port. Everything lives in a temp dir removed by `close()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/api/server.js';
import { loadServerConfig } from '../../src/app/config.js';
import { createServices } from '../../src/app/serve/index.js';
import { computeEmbeddings } from '../../src/app/shapes/embed.js';
import { loadShapeEmbedder } from '../../src/app/shapes/embedder.js';
import { openStore } from '../../src/app/store.js';
import { storeInteractions } from '../../src/app/train/train.js';
import { runDemo } from '../../src/demo/index.js';
import { trainAndSelect } from '../../src/eval/train-select.js';
import { SEQUENTIAL_MODEL_NAME, SERVING_MODEL_NAME } from '../../src/models/registry.js';

export interface DemoServer {
  url: string;
  dir: string;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  uiDir: string;
  items?: number;
  users?: number;
  log?: (message: string) => void;
}

export async function startDemoServer(o: DemoServerOptions): Promise<DemoServer> {
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-ui-'));
  const config = { dataDir: dir, databaseUrl: null };
  const t0 = performance.now();
  await runDemo(config, { out: join(dir, 'demo'), items: o.items ?? 60, users: o.users ?? 120, seed: 5 });
  log(`demo generated + ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const store = await openStore(config);
  try {
    await computeEmbeddings(store, dir, { encoder: 'pointnet', config: { epochs: 3 } });
    log(`embedded at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const data = await storeInteractions(store);
    const result = await trainAndSelect(data, ['pop', 'itemknn', 'ease', 'bpr'], { k: 10, seed: 1 });
    let best = 0;
    for (const [i, a] of result.artifacts.entries()) {
      const row = await store.saveModel({
        name: SERVING_MODEL_NAME,
        config: { kind: a.kind, params: a.params, dataFingerprint: data.fingerprint() },
        configHash: a.configHash,
        metrics: { ...a.metrics, ...a.report },
        payload: a.bytes,
      });
      if (i === result.best) best = row.version;
    }
    if (best > 0) await store.setActiveModel(SERVING_MODEL_NAME, best);
    const seq = await trainAndSelect(data, ['markov'], { k: 10, seed: 1, protocol: 'loo' });
    const a = seq.artifacts[0]!;
    const row = await store.saveModel({
      name: SEQUENTIAL_MODEL_NAME,
      config: { kind: a.kind, params: a.params, dataFingerprint: data.fingerprint() },
      configHash: a.configHash,
      metrics: { ...a.metrics, ...a.report },
      payload: a.bytes,
    });
    await store.setActiveModel(SEQUENTIAL_MODEL_NAME, row.version);
    log(`trained at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const cfg = loadServerConfig({ port: 0, rateLimit: { max: 0 }, uiDir: o.uiDir, logLevel: 'silent' }, {});
  const embedMesh = await loadShapeEmbedder(store, 'pointnet');
  const services = await createServices(store, cfg, {
    dataDir: dir,
    shapeEncoder: 'pointnet',
    ...(embedMesh ? { embedMesh } : {}),
    pollMs: 0,
  });
  const app = await buildServer(services, cfg);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

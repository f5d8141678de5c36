/**
 * Recommendations without a server (`layerwise recommend`): the same services the API runs, loaded from the store
 * and the active model (and the running experiment, if any), asked once, then closed. Nothing is polled or warmed,
 * and no impressions are logged: an operator's look is not traffic.
 */
import type { Config } from '../config.js';
import { loadServerConfig } from '../config.js';
import { openStore } from '../store.js';
import { createServices } from './index.js';
import type { RecommendationResponse, RecommendQuery } from './types.js';

export async function recommendOffline(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  userId: string,
  query: RecommendQuery,
): Promise<RecommendationResponse> {
  const store = await openStore(config);
  const services = await createServices(store, loadServerConfig({ impressions: { sampleRate: 0 } }, {}), {
    dataDir: config.dataDir,
    pollMs: 0,
  });
  try {
    return await services.recommendations.forUser(userId, query);
  } finally {
    await services.close?.();
  }
}

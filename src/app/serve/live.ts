/**
 * The serving side of learning from live traffic: the running experiment (arms' model versions loaded before any
 * user is assigned to them), the impression log, removal applied to the in-memory state at once, the model-change
 * history, and the periodic `poll()` that picks up what other processes did — an experiment started or stopped by
 * the CLI, a removal, a new active version after a scheduled retrain or a rollback.
 */

import { LayerwiseError } from '../../core/errors.js';
import type { Experiment } from '../../store/live-ports.js';
import type { Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { ExperimentService, ImpressionLog } from '../experiments/index.js';
import { eraseUser, removeItem, updateItem } from '../removal/index.js';
import type { ItemService } from './items.js';
import type { RecommendationService } from './recommendations.js';
import type { ServingState } from './state.js';
import type { ExperimentCreate, ExperimentInfo, ExperimentReadout, ModelChangeInfo, Services } from './types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function experimentInfo(e: Experiment): ExperimentInfo {
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    arms: e.arms,
    settings: e.settings,
    createdAt: new Date(e.createdAt).toISOString(),
    startedAt: iso(e.startedAt),
    stoppedAt: iso(e.stoppedAt),
  };
}

export class LiveServices {
  private constructor(
    private readonly state: ServingState,
    private readonly store: Store,
    readonly experiments: ExperimentService,
    readonly impressions: ImpressionLog,
    private readonly now: () => number,
  ) {}

  static async open(
    state: ServingState,
    store: Store,
    config: ServerConfig,
    o: { now?: () => number; onError?: (what: string, e: unknown) => void } = {},
  ): Promise<LiveServices> {
    const experiments = await ExperimentService.open(store);
    const impressions = new ImpressionLog(store, {
      sampleRate: config.impressions.sampleRate,
      flushMs: config.impressions.flushMs,
      chunkRows: config.impressions.chunkRows,
      maxBuffered: config.impressions.maxBuffered,
      onError: (e, rows) => o.onError?.(`writing ${rows} impressions`, e),
    });
    const live = new LiveServices(state, store, experiments, impressions, o.now ?? Date.now);
    await live.loadArms(experiments.running);
    return live;
  }

  /**
   * Loads every arm's model version (before any user is assigned to it) and, with `retain`, unloads versions no
   * arm of `e` needs. Throws `not_found` when a version cannot be loaded.
   */
  private async loadArms(e: Experiment | null, retain = true): Promise<void> {
    const refs = e ? e.arms.flatMap((a) => (a.model ? [a.model] : [])) : [];
    for (const ref of refs) await this.state.servedVersion(ref);
    if (retain) this.state.retainVersions(refs);
  }

  async create(spec: ExperimentCreate): Promise<ExperimentInfo> {
    const { start, ...rest } = spec;
    const running = this.experiments.running;
    if (start && running) {
      throw new LayerwiseError('conflict', `experiment "${running.id}" is running; stop it first (one at a time)`);
    }
    const e = await this.experiments.create(rest as Parameters<ExperimentService['create']>[0]);
    return start ? this.start(e.id) : experimentInfo(e);
  }

  async start(id: string): Promise<ExperimentInfo> {
    const e = await this.experiments.get(id);
    await this.loadArms(e, false); // before the first user is assigned; the running experiment's stay loaded
    const started = await this.experiments.start(id, this.now());
    await this.loadArms(started);
    return experimentInfo(started);
  }

  async stop(id: string): Promise<ExperimentInfo> {
    const e = await this.experiments.stop(id, this.now());
    await this.loadArms(this.experiments.running);
    return experimentInfo(e);
  }

  async list(): Promise<ExperimentInfo[]> {
    return (await this.experiments.list()).map(experimentInfo);
  }

  async readout(id: string): Promise<ExperimentReadout> {
    await this.impressions.flush();
    const r = await this.experiments.readout(id, { now: this.now() });
    return { ...r, experiment: experimentInfo(r.experiment) };
  }

  async history(limit: number): Promise<ModelChangeInfo[]> {
    const changes = await this.store.listModelChanges({ limit });
    return changes.map((c) => ({
      name: c.name,
      version: c.version,
      action: c.action,
      previous: c.previous,
      reason: c.reason,
      details: c.details,
      at: new Date(c.at).toISOString(),
    }));
  }

  removal(items: ItemService, recs: RecommendationService): Services['removal'] {
    const sync = () => this.state.syncRemovals((user) => recs.forget(user));
    return {
      removeItem: async (id, o) => {
        const r = await removeItem(this.store, id, o);
        await sync();
        return { id, ...r };
      },
      updateItem: async (id, patch) => {
        const item = await updateItem(this.store, id, patch);
        this.state.addItem(item);
        return items.detail(item);
      },
      eraseUser: async (id) => {
        // nothing of theirs may be written after the erasure: drop buffered rows, wait for a flush in flight
        this.impressions.forgetUser(id);
        await this.impressions.flush();
        // their share of item popularity and trending goes with them (read before their events are deleted)
        await this.state.subtractUser(id);
        const r = await eraseUser(this.store, id);
        await sync();
        return { id, events: r.events, impressions: r.impressions };
      },
    };
  }

  /** Picks up experiment starts/stops, removals and active-version changes made by other processes. */
  async poll(recs: RecommendationService): Promise<void> {
    // load the arms' versions before assignment starts, so no user is counted in an arm it did not get
    const running = (await this.store.listExperiments()).find((e) => e.status === 'running') ?? null;
    if ((running?.id ?? null) !== (this.experiments.running?.id ?? null)) await this.loadArms(running);
    await this.experiments.refresh();
    await this.state.syncRemovals((user) => recs.forget(user));
    await this.state.followActiveModel();
    await this.state.followActiveSequential();
  }

  async close(): Promise<void> {
    await this.impressions.close();
  }
}

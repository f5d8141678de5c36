/**
 * Experiments as a use case: create (validated; named model versions must exist), start, stop, list, read out — and,
 * on the serving hot path, `assign(userId)`: the running experiment's arm for the user, a pure hash of (experiment,
 * user) over the arms' shares (src/eval/assignment.ts), so assignment is sticky with no per-user state. At most one
 * experiment runs at a time (two would fight over which model serves a user). The running experiment is cached in
 * memory; `refresh()` picks up starts and stops made by other processes (the CLI).
 */
import { LayerwiseError } from '../../core/errors.js';
import { assignArm } from '../../eval/assignment.js';
import type { Experiment, ExperimentArm } from '../../store/live-ports.js';
import type { Store } from '../../store/ports.js';
import { bucketWidth, computeReadout, type Readout } from './readout.js';
import {
  type ExperimentSettings,
  type ExperimentSpec,
  experimentId,
  normaliseArms,
  normaliseSettings,
  parseModelRef,
} from './spec.js';

export interface Assignment {
  experiment: string;
  arm: ExperimentArm;
}

export class ExperimentService {
  private current: Experiment | null = null;
  private shares: number[] = [];

  private constructor(private readonly store: Store) {}

  static async open(store: Store): Promise<ExperimentService> {
    const s = new ExperimentService(store);
    await s.refresh();
    return s;
  }

  /** Re-reads which experiment is running (call periodically when other processes may start or stop one). */
  async refresh(): Promise<Experiment | null> {
    const running = (await this.store.listExperiments()).find((e) => e.status === 'running') ?? null;
    this.setCurrent(running);
    return running;
  }

  private setCurrent(e: Experiment | null): void {
    this.current = e;
    this.shares = e ? e.arms.map((a) => a.share) : [];
  }

  /** The running experiment, if any (in memory). */
  get running(): Experiment | null {
    return this.current;
  }

  /** The user's arm in the running experiment, or null when none runs. Synchronous, no I/O. */
  assign(userId: string): Assignment | null {
    const e = this.current;
    if (e === null) return null;
    return { experiment: e.id, arm: e.arms[assignArm(e.id, userId, this.shares)]! };
  }

  async create(spec: ExperimentSpec): Promise<Experiment> {
    if (typeof spec?.name !== 'string' || spec.name.trim() === '' || spec.name.length > 200) {
      throw new LayerwiseError('invalid_argument', `name must be a non-empty string of ≤ 200 characters`);
    }
    const arms = normaliseArms(spec.arms);
    const settings = normaliseSettings(spec.settings);
    for (const a of arms) {
      if (a.model === null) continue;
      const { name, version } = parseModelRef(a.model);
      if ((await this.store.getModel(name, version, { payload: false })) === null) {
        throw new LayerwiseError(
          'not_found',
          `arm "${a.name}": no model ${a.model}; list versions with GET /v1/models`,
        );
      }
    }
    return this.store.createExperiment({
      id: experimentId(spec),
      name: spec.name.trim(),
      arms,
      settings: { ...settings },
    });
  }

  async get(id: string): Promise<Experiment> {
    const e = await this.store.getExperiment(id);
    if (e === null) throw new LayerwiseError('not_found', `no experiment "${id}"; list them with GET /v1/experiments`);
    return e;
  }

  list(): Promise<Experiment[]> {
    return this.store.listExperiments();
  }

  async start(id: string, now = Date.now()): Promise<Experiment> {
    const e = await this.get(id);
    if (e.status === 'running') return e;
    if (e.status === 'stopped') {
      throw new LayerwiseError('conflict', `experiment "${id}" was stopped; create a new one to test again`);
    }
    const other = (await this.store.listExperiments()).find((x) => x.status === 'running');
    if (other) {
      throw new LayerwiseError('conflict', `experiment "${other.id}" is running; stop it first (one at a time)`);
    }
    const started = await this.store.updateExperiment(id, { status: 'running', startedAt: now });
    this.setCurrent(started);
    return started;
  }

  async stop(id: string, now = Date.now()): Promise<Experiment> {
    const e = await this.get(id);
    if (e.status === 'stopped') return e;
    const stopped = await this.store.updateExperiment(id, { status: 'stopped', stoppedAt: now });
    if (this.current?.id === id) this.setCurrent(null);
    return stopped;
  }

  /** Metrics per arm, comparisons and verdict, from the stored impressions and events. */
  async readout(id: string, o: { now?: number; buckets?: number } = {}): Promise<Readout> {
    const e = await this.get(id);
    const settings = normaliseSettings(e.settings as Partial<ExperimentSettings>);
    const since = e.startedAt ?? e.createdAt;
    const until = e.stoppedAt ?? o.now ?? Date.now();
    const bucketMs = bucketWidth(since, until, o.buckets);
    const rows = await this.store.experimentStats(id, { since, bucketMs });
    return computeReadout(e, settings, rows, { since, bucketMs });
  }
}

/**
 * Keeping one serving replica current with the others. Two paths to the same end: bus messages (Redis pub/sub)
 * bring a change within milliseconds, and a periodic reconcile with the store (default every 1 s) is the safety
 * net for messages lost while a replica was down or disconnected — pub/sub delivers at most once. Every target
 * method is idempotent, so a message and a reconcile that both carry a change apply it once in effect. Work is
 * serialised: messages are handled in arrival order and never overlap a reconcile.
 */
import type { ClusterBus, ClusterMessage } from './bus.js';

/** What a serving replica exposes to the sync (implemented over the serving state). */
export interface SyncTarget {
  /** Applies events committed since the last pull (the store's commit-ordered feed); returns the users affected. */
  pullEvents(): Promise<string[]>;
  /** Drops cached recommendations of these users. */
  invalidateUsers(ids: string[]): void;
  /** Reloads these items from the store (new uploads, changed metadata). */
  refreshItems(ids: string[]): Promise<void>;
  /** Reloads these items' vectors of `encoder`. */
  refreshEmbeddings(encoder: string, ids: string[]): Promise<void>;
  /** Serves `name@version` unless it is already served. */
  serveModel(name: string, version: number): Promise<void>;
  /** Compares everything with the store and catches up (model choice, items, vectors, events). */
  reconcile(): Promise<void>;
}

export interface ReplicaSyncOptions {
  /** Reconcile interval in ms (default 1000; 0 = only on messages). */
  reconcileMs?: number;
  /** Errors of background work (default: console.error with context). */
  onError?: (what: string, e: unknown) => void;
}

export class ReplicaSync {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  /** Background failures, for /metrics and tests. */
  errors = 0;
  /** Messages handled (per type), for tests and /metrics. */
  readonly handled: Record<ClusterMessage['type'], number> = { model: 0, items: 0, embeddings: 0, events: 0 };

  constructor(
    private readonly bus: ClusterBus,
    private readonly target: SyncTarget,
    private readonly options: ReplicaSyncOptions = {},
  ) {
    this.unsubscribe = bus.subscribe((msg) => this.enqueue(`${msg.type} message`, () => this.handle(msg)));
    const every = options.reconcileMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => this.enqueue('reconcile', () => target.reconcile()), every);
      this.timer.unref();
    }
  }

  /** Tells the other replicas about a change made here. */
  publish(msg: ClusterMessage): Promise<void> {
    return this.bus.publish(msg);
  }

  /** Resolves when all work queued so far is done (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(what: string, fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((e: unknown) => {
      this.errors++;
      (this.options.onError ?? defaultOnError)(what, e);
    });
  }

  private async handle(msg: ClusterMessage): Promise<void> {
    this.handled[msg.type]++;
    switch (msg.type) {
      case 'model':
        await this.target.serveModel(msg.name, msg.version);
        return;
      case 'items':
        await this.target.refreshItems(msg.ids);
        return;
      case 'embeddings':
        await this.target.refreshEmbeddings(msg.encoder, msg.ids);
        return;
      case 'events': {
        const users = await this.target.pullEvents();
        this.target.invalidateUsers([...new Set([...msg.users, ...users])]);
        return;
      }
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    await this.chain;
  }
}

function defaultOnError(what: string, e: unknown): void {
  console.error(`cluster sync: ${what} failed: ${(e as Error)?.message ?? String(e)}`);
}

/**
 * The cluster bus: how one process tells the others that shared state changed, so every replica catches up within
 * a second or two instead of at its next reconcile. Redis pub/sub on one channel (`<prefix>:bus`); delivery is
 * at-most-once, which is why each replica also reconciles with the store periodically (src/app/cluster/sync.ts).
 * Embedded (no Redis), the bus is local: messages go to subscribers in this process only.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis, type RedisSettings } from './redis.js';

export type ClusterMessage =
  /** A model was activated: replicas load it. */
  | { type: 'model'; name: string; version: number }
  /** Items were added or changed (upload, ingest): replicas reload them. */
  | { type: 'items'; ids: string[] }
  /** Shape vectors were written for `encoder`. */
  | { type: 'embeddings'; encoder: string; ids: string[] }
  /** New events: replicas pick them up from the event feed and drop these users' cached recommendations. */
  | { type: 'events'; users: string[] };

export interface Envelope {
  /** Id of the sending process (subscribers skip their own messages). */
  from: string;
  msg: ClusterMessage;
}

export interface ClusterBus {
  /** Id of this process on the bus. */
  readonly id: string;
  publish(msg: ClusterMessage): Promise<void>;
  /** Calls `fn` for every message from another process; returns an unsubscribe function. */
  subscribe(fn: (msg: ClusterMessage, from: string) => void): () => void;
  close(): Promise<void>;
}

/** In-process bus for the embedded mode: no other process exists, so nothing is delivered anywhere. */
export class LocalBus implements ClusterBus {
  readonly id = randomUUID();
  async publish(): Promise<void> {}
  subscribe(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
}

export class RedisBus implements ClusterBus {
  readonly id = randomUUID();
  private readonly fns = new Set<(msg: ClusterMessage, from: string) => void>();
  /** Messages received that could not be parsed (counted, and logged once). */
  malformed = 0;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly channel: string,
  ) {
    sub.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      let env: Envelope;
      try {
        env = JSON.parse(text) as Envelope;
      } catch {
        if (this.malformed++ === 0) console.warn(`cluster bus: ignoring a malformed message on ${channel}`);
        return;
      }
      if (env.from === this.id) return;
      for (const fn of this.fns) {
        try {
          fn(env.msg, env.from);
        } catch (e) {
          console.error(`cluster bus: handler failed for ${env.msg.type}: ${(e as Error).message}`);
        }
      }
    });
  }

  static async open(settings: RedisSettings): Promise<RedisBus> {
    const pub = await connectRedis(settings, 'layerwise-bus-pub');
    const sub = await connectRedis(settings, 'layerwise-bus-sub');
    const channel = `${settings.prefix}:bus`;
    await sub.subscribe(channel);
    return new RedisBus(pub, sub, channel);
  }

  async publish(msg: ClusterMessage): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify({ from: this.id, msg } satisfies Envelope));
  }

  subscribe(fn: (msg: ClusterMessage, from: string) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  async close(): Promise<void> {
    this.fns.clear();
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}

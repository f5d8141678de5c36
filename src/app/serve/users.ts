/**
 * User services: paged list of known users and a history summary — counts from the store (per-user index), recent
 * events and top categories from the user's cached history (user-history.ts).
 */
import { LayerwiseError } from '../../core/errors.js';
import { getPrinter } from '../../geometry/printers.js';
import type { Store } from '../../store/ports.js';
import type { ServingState } from './state.js';
import type { Page, UserDetail, UserSummary } from './types.js';

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

export class UserService {
  constructor(
    private readonly state: ServingState,
    private readonly store: Store,
  ) {}

  private async summaries(ids: string[]): Promise<UserSummary[]> {
    const sums = await this.store.userEventSummaries(ids);
    return ids.map((id) => {
      const s = sums.get(id);
      return { id, events: s?.events ?? 0, lastActive: iso(s?.lastActive ?? 0) };
    });
  }

  /** Saves (or clears, with null) the user's printer; recommendations use it when a request names none. */
  async setPrinter(id: string, printer: string | null): Promise<UserDetail> {
    let profile: string | null = null;
    if (printer !== null) {
      try {
        profile = getPrinter(printer).id;
      } catch (e) {
        throw new LayerwiseError('invalid_argument', (e as Error).message, { cause: e });
      }
    }
    const existing = await this.store.getUser(id);
    const attrs: Record<string, unknown> = { ...(existing?.attrs ?? {}) };
    if (profile === null) delete attrs.printer;
    else attrs.printer = profile;
    await this.store.upsertUsers([{ id, attrs }]);
    this.state.histories.invalidate(id); // the saved printer is read with the history
    return this.get(id);
  }

  async list(cursor: string | undefined, limit: number): Promise<Page<UserSummary>> {
    let page: Awaited<ReturnType<Store['listUsers']>>;
    try {
      page = await this.store.listUsers(cursor === undefined ? { limit } : { cursor, limit });
    } catch (e) {
      throw new LayerwiseError('invalid_argument', `cannot list users: ${(e as Error).message}`, { cause: e });
    }
    return { items: await this.summaries(page.items.map((u) => u.id)), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<UserDetail> {
    const u = await this.state.histories.get(id);
    if (u.events === 0 && (await this.store.getUser(id)) === null) {
      throw new LayerwiseError('not_found', `no user with id "${id}"; list users with GET /v1/users`);
    }
    // counts over every stored event (the cached history is a window of the most recent ones)
    const sum = (await this.store.userEventSummaries([id])).get(id);
    const catalog = this.state.catalog;
    const cats = new Map<string, number>();
    for (const i of u.items.keys()) {
      const c = catalog.items[i]?.category;
      if (c) cats.set(c, (cats.get(c) ?? 0) + 1);
    }
    return {
      id,
      events: sum?.events ?? 0,
      lastActive: iso(sum?.lastActive ?? 0),
      printer: u.printer,
      byType: { ...(sum?.byType ?? {}) },
      recent: u.recent
        .slice()
        .reverse()
        .map((e) => ({
          itemId: catalog.items[e.item]!.id,
          type: e.type,
          weight: e.weight,
          timestamp: new Date(e.timestamp).toISOString(),
        })),
      topCategories: [...cats.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([category, count]) => ({ category, count })),
    };
  }
}

/** User services: paged list of known users (from the store) and a history summary (from the online state). */
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

  private summary(id: string): UserSummary {
    const u = this.state.interactions.users.get(id);
    return { id, events: u?.events ?? 0, lastActive: iso(u?.lastActive ?? 0) };
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
    if (profile === null) this.state.userPrinters.delete(id);
    else this.state.userPrinters.set(id, profile);
    return this.get(id);
  }

  async list(cursor: string | undefined, limit: number): Promise<Page<UserSummary>> {
    let page: Awaited<ReturnType<Store['listUsers']>>;
    try {
      page = await this.store.listUsers(cursor === undefined ? { limit } : { cursor, limit });
    } catch (e) {
      throw new LayerwiseError('invalid_argument', `cannot list users: ${(e as Error).message}`, { cause: e });
    }
    return { items: page.items.map((u) => this.summary(u.id)), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<UserDetail> {
    const u = this.state.interactions.users.get(id);
    if (u === undefined && (await this.store.getUser(id)) === null) {
      throw new LayerwiseError('not_found', `no user with id "${id}"; list users with GET /v1/users`);
    }
    const catalog = this.state.catalog;
    const cats = new Map<string, number>();
    for (const i of u?.items.keys() ?? []) {
      const c = catalog.items[i]?.category;
      if (c) cats.set(c, (cats.get(c) ?? 0) + 1);
    }
    return {
      ...this.summary(id),
      printer: this.state.userPrinters.get(id) ?? null,
      byType: { ...(u?.byType ?? {}) },
      recent: (u?.recent ?? [])
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

/**
 * User page: pick a (demo) user, see their history, a "Print next" row (what follows their latest event: the
 * sequential model) and their personal recommendations, both with reasons; a printer selector re-ranks both for
 * that printer, and "Like" / "Printed it" post events that change them at once.
 */
import { useState } from 'react';
import { api, type NextItems } from '../api';
import { ItemCard, PrinterSelect, Status } from '../components/common';
import { href, useAsync } from '../router';

export function UserPage({ id }: { id?: string }) {
  const users = useAsync(() => api.users(undefined, 200), []);
  const userId = id ?? users.data?.items[0]?.id;
  return (
    <section aria-labelledby="user-title">
      <h1 id="user-title">Recommendations for you</h1>
      <Status loading={users.loading && !users.data} error={users.error} />
      <div className="filters">
        <label htmlFor="user-pick" className="field">
          <span>User</span>
          <select
            id="user-pick"
            value={userId ?? ''}
            onChange={(e) => {
              window.location.hash = href.user(e.target.value);
            }}
          >
            {userId && !users.data?.items.some((u) => u.id === userId) && <option value={userId}>{userId}</option>}
            {users.data?.items.map((u) => (
              <option key={u.id} value={u.id}>
                {u.id} ({u.events} events)
              </option>
            ))}
          </select>
        </label>
      </div>
      {userId && <UserView key={userId} userId={userId} />}
    </section>
  );
}

function UserView({ userId }: { userId: string }) {
  const printers = useAsync(() => api.printers(), []);
  const [printer, setPrinter] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const user = useAsync(() => api.user(userId).catch(() => null), [userId]);
  const recs = useAsync(() => api.recommendations(userId, printer || undefined, 12), [userId, printer]);
  const next = useAsync(() => api.next(userId, printer || undefined, 6), [userId, printer]);

  const record = async (itemId: string, title: string, type: 'like' | 'make') => {
    setBusy(`${itemId}:${type}`);
    try {
      const r = await api.postEvent(userId, itemId, type);
      setMessage(
        r.accepted > 0
          ? `Recorded: ${type === 'like' ? 'liked' : 'printed'} “${title}”. Recommendations updated.`
          : `Not recorded: ${r.rejected[0]?.message ?? 'rejected'}`,
      );
      recs.reload();
      next.reload();
      user.reload();
    } catch (e) {
      setMessage(`Could not record the event: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const u = user.data;
  return (
    <div className="user-layout">
      <aside aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {u === null && <p className="muted">No history yet: recommendations are trending items.</p>}
        {u && (
          <>
            <p className="small">
              {Object.entries(u.byType)
                .map(([k, v]) => `${v} ${k}`)
                .join(' · ')}
            </p>
            {u.topCategories.length > 0 && (
              <p className="small">Favourite categories: {u.topCategories.map((c) => c.category).join(', ')}</p>
            )}
            <ul className="history" aria-label="Recent activity">
              {u.recent.slice(0, 12).map((e) => (
                <li key={`${e.itemId}-${e.type}-${e.timestamp}`}>
                  <a href={href.item(e.itemId)}>
                    <img
                      src={`/v1/items/${encodeURIComponent(e.itemId)}/thumbnail.png`}
                      alt=""
                      width={40}
                      height={40}
                    />
                    <span>{e.itemId}</span>
                  </a>{' '}
                  <span className="muted small">
                    {e.type} · {e.timestamp.slice(0, 10)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
      <section aria-labelledby="recs-title">
        <section aria-labelledby="next-title" className="print-next">
          <h2 id="next-title">Print next</h2>
          <p className="muted small" data-testid="next-caption">
            {next.data && nextCaption(next.data)}
          </p>
          <Status loading={next.loading && !next.data} error={next.error} />
          <ul className="grid row" aria-label="Print next" aria-busy={next.loading} data-testid="print-next">
            {next.data?.items.map((it) => (
              <ItemCard key={it.itemId} item={it} reasons={it.reasons} />
            ))}
          </ul>
        </section>
        <div className="recs-head">
          <h2 id="recs-title">Recommended for you</h2>
          <PrinterSelect
            id="user-printer"
            label="My printer"
            printers={printers.data}
            value={printer}
            onChange={setPrinter}
          />
        </div>
        <p className="muted small">
          {recs.data &&
            (recs.data.coldStart
              ? 'New user: trending items.'
              : `Model ${recs.data.model?.id ?? 'popularity'}${recs.data.printer ? ` · filtered for ${recs.data.printer}` : ''}`)}
        </p>
        <p role="status" aria-live="polite" className="small">
          {message}
        </p>
        <Status loading={recs.loading && !recs.data} error={recs.error} />
        <ul className="grid" aria-label="Recommendations" aria-busy={recs.loading} data-testid="recommendations">
          {recs.data?.items.map((it) => (
            <ItemCard key={it.itemId} item={it} reasons={it.reasons}>
              <div className="actions">
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => record(it.itemId, it.title, 'like')}
                  aria-label={`Like ${it.title}`}
                >
                  ♥ Like
                </button>
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => record(it.itemId, it.title, 'make')}
                  aria-label={`I printed ${it.title}`}
                >
                  ✓ Printed it
                </button>
              </div>
            </ItemCard>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Where the row comes from, in words. */
function nextCaption(n: NextItems): string {
  const after = n.after ? `After “${n.after.title}”` : 'No history yet';
  const by =
    n.source === 'sequential'
      ? `sequential model ${n.model?.id ?? ''}`
      : n.source === 'latest-neighbours'
        ? `neighbours of your latest items (${n.model?.id ?? 'model'}; no sequential model trained)`
        : 'trending items';
  return `${after} · ${by}${n.printer ? ` · filtered for ${n.printer}` : ''}`;
}

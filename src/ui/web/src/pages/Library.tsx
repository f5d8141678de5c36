/** Library: thumbnail grid with filters (text, category, tag, printer fit) and server-side cursor paging. */
import { useState } from 'react';
import { api } from '../api';
import { ItemCard, PrinterSelect, Status } from '../components/common';
import { useAsync } from '../router';

const PAGE = 24;

export function LibraryPage() {
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('');
  const [tag, setTag] = useState('');
  const [printer, setPrinter] = useState('');
  // cursors[i] is the cursor of page i (page 0 has none)
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex];
  const printers = useAsync(() => api.printers(), []);
  const categories = useAsync(() => api.categories(), []);
  const page = useAsync(
    () =>
      api.items({
        query,
        category,
        tag,
        printer,
        limit: PAGE,
        ...(cursor !== undefined ? { cursor } : {}),
      }),
    [query, category, tag, printer, cursor],
  );
  const reset = () => setCursors([undefined]);

  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title">Library</h1>
      <search aria-label="Filter the library">
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="lib-query" className="field">
            <span>Search</span>
            <input
              id="lib-query"
              type="search"
              value={query}
              placeholder="title or tag"
              onChange={(e) => {
                setQuery(e.target.value);
                reset();
              }}
            />
          </label>
          <label htmlFor="lib-category" className="field">
            <span>Category</span>
            <select
              id="lib-category"
              value={category}
              onChange={(e) => {
                setCategory(e.target.value);
                reset();
              }}
            >
              <option value="">All categories</option>
              {categories.data?.map((c) => (
                <option key={c.category} value={c.category}>
                  {c.category} ({c.count})
                </option>
              ))}
            </select>
          </label>
          <label htmlFor="lib-tag" className="field">
            <span>Tag</span>
            <input
              id="lib-tag"
              value={tag}
              onChange={(e) => {
                setTag(e.target.value.trim());
                reset();
              }}
            />
          </label>
          <PrinterSelect
            id="lib-printer"
            label="Fits printer"
            printers={printers.data}
            value={printer}
            onChange={(p) => {
              setPrinter(p);
              reset();
            }}
          />
        </form>
      </search>
      <Status loading={page.loading && !page.data} error={page.error} />
      {page.data && page.data.items.length === 0 && <p role="status">No models match these filters.</p>}
      <ul className="grid" aria-label="Models" aria-busy={page.loading}>
        {page.data?.items.map((it) => (
          <ItemCard key={it.id} item={it} />
        ))}
      </ul>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={pageIndex === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← Previous
        </button>
        <span aria-live="polite">Page {pageIndex + 1}</span>
        <button
          type="button"
          disabled={!page.data?.nextCursor || page.loading}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
        >
          Next →
        </button>
      </nav>
    </section>
  );
}

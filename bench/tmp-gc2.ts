import { Bm25Index } from '../src/app/serve/bm25.js';
import { Catalog } from '../src/app/serve/catalog.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const phase = process.argv[2] ?? 'cat';
const store = await openSqliteStore('/tmp/s1m/layerwise.db');
const catalog = new Catalog();
let cursor: string | undefined;
let n = 0;
do {
  const page = await store.listItems(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  for (const it of page.items) catalog.upsert(it);
  cursor = page.nextCursor ?? undefined;
  if (++n >= (phase === 'half' ? 500 : 1000)) break;
} while (cursor !== undefined);
catalog.resolveFamilies();
const text = new Bm25Index();
if (phase === 'text')
  for (const it of catalog.items)
    text.add(it.index, [
      { text: it.title, weight: 3 },
      { text: it.tags.join(' '), weight: 2 },
      { text: it.description, weight: 1 },
    ]);
console.log('loaded', phase, catalog.size);
let sink = 0;
const t = Date.now();
while (Date.now() - t < 2000) {
  for (let i = 0; i < 1000; i++) {
    const o = { x: [1, 2, 3], y: 'abc' + i };
    sink += o.x.length;
  }
}
console.log(sink > 0, catalog.size, text.size);

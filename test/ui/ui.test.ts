/**
 * The web UI in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, WebGL through
 * SwiftShader) against a real server over a small generated demo library: every page loads without console errors,
 * the 3-D canvas is not blank (pixels read back), the item page colours and lists thin walls and self-intersections
 * and turns the model to its best orientation and shows the remix tree, an uploaded STL gets a report and similar models, switching users
 * and recording a like change the recommendations, and the dashboard's plots render. Screenshots of each page go
 * to test-artifacts/ui/. Skipped with a message when Chromium is not installed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { box, merge, translate } from '../../src/geometry/primitives.js';
import { prism } from '../../src/geometry/prism.js';
import { encodeStlBinary } from '../../src/io/encode-stl.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { repoRoot } from '../data.js';
import { type DemoServer, startDemoServer } from './demo-server.js';

const CHROMIUM = process.env.LAYERWISE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const uiDir = resolve(repoRoot, 'src', 'ui', 'web', 'dist');
const artifacts = resolve(repoRoot, 'test-artifacts', 'ui');

describe.skipIf(!hasChromium)('web UI in headless Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(uiDir, 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: resolve(repoRoot, 'src', 'ui', 'web', 'vite.config.ts'), logLevel: 'warn' });
    }
    mkdirSync(artifacts, { recursive: true });
    const { chromium } = await import('playwright-core');
    [server, browser] = await Promise.all([
      startDemoServer({ uiDir, items: 60, users: 120 }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}/${hash}`);
    return page;
  }

  async function finish(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
  }

  /** Distinct colours and share of non-background pixels of the WebGL canvas (drawn into a 2-D canvas). */
  async function canvasPixels(page: Page): Promise<{ colours: number; nonBackground: number }> {
    await page.waitForSelector('canvas.viewer[data-ready="true"]', { timeout: 30_000 });
    return page.evaluate(() => {
      const gl = document.querySelector('canvas.viewer') as HTMLCanvasElement;
      const c = document.createElement('canvas');
      c.width = gl.width;
      c.height = gl.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(gl, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const bg = [d[0], d[1], d[2]];
      const seen = new Set<number>();
      let other = 0;
      for (let i = 0; i < d.length; i += 4) {
        seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
        if (Math.abs(d[i]! - bg[0]!) + Math.abs(d[i + 1]! - bg[1]!) + Math.abs(d[i + 2]! - bg[2]!) > 24) other++;
      }
      return { colours: seen.size, nonBackground: other / (d.length / 4) };
    });
  }

  const cardIds = (page: Page, list: string) =>
    page.$$eval(`${list} li.card`, (els) => els.map((e) => e.getAttribute('data-item') ?? ''));

  it('library: thumbnail grid, filters and paging', async () => {
    const page = await open('#/');
    await page.waitForSelector('ul.grid li.card img');
    const first = await cardIds(page, 'ul.grid');
    expect(first.length).toBe(24);
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    console.log(`library first contentful paint (cold browser, not asserted): ${fcp.toFixed(0)} ms`);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('ul.grid img')].slice(0, 4).every((i) => i.naturalWidth > 0),
    );
    // accessibility basics: a skip link first in the tab order, every control labelled
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(
      await page.$$eval('input, select', (els) =>
        els.every((e) => ((e as HTMLInputElement).labels?.length ?? 0) > 0 || e.hasAttribute('aria-label')),
      ),
    ).toBe(true);
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.waitForFunction(
      (prev) => document.querySelector('ul.grid li.card')?.getAttribute('data-item') !== prev,
      first[0],
    );
    const second = await cardIds(page, 'ul.grid');
    expect(second.some((id) => first.includes(id))).toBe(false);
    await page.getByLabel('Category').selectOption('gear');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('ul.grid li.card')].every((e) => e.textContent?.includes('gear')),
    );
    await page.getByLabel('Fits printer').selectOption('voron-0');
    await page.waitForFunction(() => document.querySelector('ul.grid')?.getAttribute('aria-busy') === 'false');
    const small = await cardIds(page, 'ul.grid');
    for (const id of small) {
      const r = (await (await fetch(`${server.url}/v1/items/${id}`)).json()) as { printability: { bboxMm: number[] } };
      expect(Math.max(...r.printability.bboxMm)).toBeLessThanOrEqual(120.01);
    }
    await page.setViewportSize({ width: 390, height: 844 }); // a phone: no horizontal scrolling
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: join(artifacts, 'library-phone.png') });
    await finish(page, 'library');
  });

  it('item: 3-D viewer is not blank, report and similar lists render', async () => {
    const items = (await (await fetch(`${server.url}/v1/items?limit=1&category=vase`)).json()) as {
      items: { id: string }[];
    };
    const id = items.items[0]!.id;
    const page = await open(`#/item/${id}`);
    const px = await canvasPixels(page);
    expect(px.colours).toBeGreaterThan(20);
    expect(px.nonBackground).toBeGreaterThan(0.02);
    await page.waitForSelector('table.report');
    await page.waitForSelector('[data-testid="similar-shape"] li.card');
    await page.waitForSelector('[data-testid="similar-behaviour"] li.card');
    expect(await page.locator('[data-testid="similar-shape"] li.card').count()).toBeGreaterThan(0);
    await page.locator('canvas.viewer').focus();
    await page.keyboard.press('+');
    await finish(page, 'item');
  });

  it('item: the remix tree shows the original above the remix and links to it', async () => {
    const remixes = (await (await fetch(`${server.url}/v1/items?limit=1&tag=remix`)).json()) as {
      items: { id: string; title: string }[];
    };
    const remix = remixes.items[0]!;
    const tree = (await (await fetch(`${server.url}/v1/items/${remix.id}/remixes`)).json()) as {
      ancestors: { itemId: string; title: string }[];
    };
    expect(tree.ancestors.length).toBeGreaterThan(0);
    const original = tree.ancestors[tree.ancestors.length - 1]!; // ancestors: the parent first, the original last
    const page = await open(`#/item/${remix.id}`);
    const box = page.locator('[data-testid="remix-tree"]');
    await box.waitFor();
    expect(await box.locator('[aria-current="page"]').innerText()).toBe(remix.title);
    // the original is the root of the tree: its link is the first one, and the item sits inside its list
    const first = box.locator('a').first();
    expect(await first.innerText()).toBe(original.title);
    expect(await box.locator('li ul [aria-current="page"]').count()).toBe(1);
    await first.click();
    await page.waitForFunction((id) => location.hash === `#/item/${id}`, original.itemId);
    // the previous item's tree stays on screen until the original's has loaded: wait for the tree to follow
    await page.waitForFunction(
      (title) =>
        document.querySelector('[data-testid="remix-tree"] [aria-current="page"]')?.textContent?.trim() === title,
      original.title,
      { timeout: 15_000 },
    );
    expect(await page.locator('[data-testid="remix-tree"] [aria-current="page"]').innerText()).toBe(original.title);
    await finish(page, 'item-remix-tree');
  });

  /** A signature of the canvas (sum of its pixels) and how many pixels are purple (thin walls, their boxes). */
  async function canvasLook(page: Page): Promise<{ sum: number; purple: number }> {
    return page.evaluate(() => {
      const gl = document.querySelector('canvas.viewer') as HTMLCanvasElement;
      const c = document.createElement('canvas');
      c.width = gl.width;
      c.height = gl.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(gl, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let purple = 0;
      for (let i = 0; i < d.length; i += 4) {
        sum += d[i]! * 3 + d[i + 1]! * 5 + d[i + 2]! * 7;
        if (d[i + 2]! > d[i + 1]! + 60 && d[i]! > d[i + 1]! + 20) purple++;
      }
      return { sum, purple };
    });
  }

  it('item: thin walls and self-intersections are coloured and listed; "show best orientation" turns the model', async () => {
    // A T stored upside down (its bar's arms overhang; laid on the bar it needs no support), a 0.3 mm fin beside it
    // and a block pushed through its stem (self-intersecting).
    const t = prism(
      [
        [27, 0],
        [33, 0],
        [33, 30],
        [60, 30],
        [60, 34],
        [0, 34],
        [0, 30],
        [27, 30],
      ],
      20,
    );
    const mesh = merge(t, translate(box([0.3, 30, 20]), [75, -5, 0]), translate(box([10, 10, 10]), [22, 5, 8]));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(encodeStlBinary(mesh))]), 'checks.stl');
    form.append('title', 'Upside-down T with a fin');
    const created = await fetch(`${server.url}/v1/items`, { method: 'POST', body: form });
    expect(created.status).toBe(201);
    const item = (await created.json()) as {
      id: string;
      printability: {
        thinWalls: { regions: unknown[]; faceIds: number[] };
        selfIntersections: { pairs: number; regions: unknown[] };
        bestOrientation: { supportAreaBeforeMm2: number; supportAreaMm2: number; heightMm: number };
        advice: string[];
      };
    };
    const r = item.printability;
    expect(r.thinWalls.faceIds.length).toBeGreaterThan(0);
    expect(r.selfIntersections.pairs).toBeGreaterThan(0);
    expect(r.bestOrientation.supportAreaMm2).toBeLessThan(r.bestOrientation.supportAreaBeforeMm2 / 2);

    const page = await open(`#/item/${item.id}`);
    await page.waitForSelector('canvas.viewer[data-ready="true"]', { timeout: 30_000 });
    const figure = page.locator('figure.viewer-figure');
    await page.waitForSelector('figure.viewer-figure[data-overhang-faces]:not([data-overhang-faces=""])');
    // the lists: every region of the report, with its thickness; the crossings; plain-words advice
    expect(await page.locator('[data-testid="thin-walls"] li').count()).toBe(r.thinWalls.regions.length);
    expect(await page.locator('[data-testid="thin-walls"]').textContent()).toContain('0.3 mm thin');
    expect(await page.locator('[data-testid="intersections"] li').count()).toBe(r.selfIntersections.regions.length);
    expect(await page.locator('[data-testid="advice"] li').count()).toBe(r.advice.length);
    expect(await page.locator('[data-testid="advice"]').textContent()).toMatch(/union/i);
    // the viewer colours them
    const caption = (await figure.locator('figcaption').textContent()) ?? '';
    expect(caption).toMatch(/thin walls \(\d+ faces\)/);
    expect(caption).toMatch(/self-intersecting \(\d+ faces\)/);
    const stored = await canvasLook(page);
    expect(stored.purple).toBeGreaterThan(50);
    // the orientation panel: support before and after, height and time in the best orientation
    const fmt2 = (mm2: number) => (mm2 / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
    const panel = page.locator('[data-testid="orientation"]');
    expect(await panel.textContent()).toContain(`${fmt2(r.bestOrientation.supportAreaBeforeMm2)} cm²`);
    expect(await panel.locator('[data-testid="best-support"]').textContent()).toBe(
      `${fmt2(r.bestOrientation.supportAreaMm2)} cm²`,
    );
    expect(await panel.locator('[data-testid="best-height"]').textContent()).toMatch(/^\d+(\.\d)? mm$/);
    expect(await panel.locator('[data-testid="best-time"]').textContent()).toMatch(/\d+ min$/);
    const overhangStored = Number(await figure.getAttribute('data-overhang-faces'));

    const button = page.getByRole('button', { name: 'Show best orientation' });
    await button.click();
    await page.waitForSelector('figure.viewer-figure[data-orientation="best"]');
    await page.waitForFunction(
      (before) => Number(document.querySelector('figure.viewer-figure')?.getAttribute('data-overhang-faces')) < before,
      overhangStored,
    );
    expect(await page.getByRole('button', { name: 'Show as stored' }).getAttribute('aria-pressed')).toBe('true');
    expect(await figure.locator('figcaption').textContent()).toMatch(/^Best orientation: /);
    const best = await canvasLook(page);
    expect(best.sum).not.toBe(stored.sum); // the picture changed
    expect(best.purple).toBeGreaterThan(50); // the thin faces turned with the model
    await page.screenshot({ path: join(artifacts, 'item-best-orientation.png'), fullPage: true });
    await page.getByRole('button', { name: 'Show as stored' }).click();
    await page.waitForSelector('figure.viewer-figure[data-orientation="stored"]');
    expect(Number(await figure.getAttribute('data-overhang-faces'))).toBe(overhangStored);
    await finish(page, 'item-checks');
  });

  it('user: switching users, the printer and recording a like change the recommendations', async () => {
    const users = (await (await fetch(`${server.url}/v1/users?limit=40`)).json()) as {
      items: { id: string; events: number }[];
    };
    const [a, b] = users.items.filter((u) => u.events >= 3);
    const page = await open(`#/user/${a!.id}`);
    const recs = '[data-testid="recommendations"]';
    await page.waitForSelector(`${recs} li.card`);
    const forA = await cardIds(page, recs);
    expect(forA.length).toBeGreaterThan(0);
    expect(await page.locator(`${recs} .reasons li`).count()).toBeGreaterThan(0);
    await page.getByLabel('User').selectOption(b!.id);
    await page.waitForFunction(
      ([sel, prev]) =>
        [...document.querySelectorAll(`${sel} li.card`)].map((e) => e.getAttribute('data-item')).join() !== prev,
      [recs, forA.join()] as const,
    );
    const forB = await cardIds(page, recs);
    expect(forB).not.toEqual(forA);

    await page.getByLabel('My printer').selectOption('elegoo-mars');
    await page.waitForSelector('text=filtered for elegoo-mars');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-busy') === 'false', recs);
    const small = await cardIds(page, recs);
    expect(small).not.toEqual(forB);

    const liked = small[0]!;
    await page.locator(`${recs} li.card[data-item="${liked}"] button`, { hasText: 'Like' }).click();
    await page.waitForSelector('text=Recommendations updated');
    await page.waitForFunction(([sel, id]) => !document.querySelector(`${sel} li.card[data-item="${id}"]`), [
      recs,
      liked,
    ] as const);
    const after = await cardIds(page, recs);
    expect(after).not.toEqual(small);
    const history = (await (await fetch(`${server.url}/v1/users/${b!.id}`)).json()) as {
      byType: Record<string, number>;
    };
    expect(history.byType.like ?? 0).toBeGreaterThan(0);
    await finish(page, 'user');
  });

  it('for you: a "Print next" row beside the personal one follows the latest print', async () => {
    const users = (await (await fetch(`${server.url}/v1/users?limit=60`)).json()) as {
      items: { id: string; events: number }[];
    };
    const u = users.items.find((x) => x.events >= 4)!;
    const page = await open(`#/user/${u.id}`);
    const row = '[data-testid="print-next"]';
    await page.waitForSelector(`${row} li.card`);
    await page.waitForSelector('[data-testid="recommendations"] li.card');
    expect(await page.getByRole('heading', { name: 'Print next' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Recommended for you' }).isVisible()).toBe(true);
    const caption = await page.locator('[data-testid="next-caption"]').textContent();
    expect(caption ?? '').toMatch(/^After “.+” · sequential model sequential@1/);
    const cards = await cardIds(page, row);
    expect(cards.length).toBeGreaterThan(0);
    const reasons = await page.locator(`${row} .reason-sequence`).allInnerTexts();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons[0]).toMatch(/^because you (just )?\w[\w ]* ".+"/);
    // the row is what the API serves for this user
    const api = (await (await fetch(`${server.url}/v1/users/${u.id}/next?k=6`)).json()) as {
      items: { itemId: string }[];
    };
    expect(cards).toEqual(api.items.map((i) => i.itemId));
    // printing an item of the personal row makes it the latest event: the print-next row now follows it
    const printed = (await cardIds(page, '[data-testid="recommendations"]'))[0]!;
    const title = await page
      .locator(`[data-testid="recommendations"] li.card[data-item="${printed}"] .card-title`)
      .textContent();
    await page
      .locator(`[data-testid="recommendations"] li.card[data-item="${printed}"] button`, { hasText: 'Printed it' })
      .click();
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid="next-caption"]')?.textContent?.startsWith(`After “${t}”`),
      title,
    );
    expect(await cardIds(page, row)).not.toContain(printed);
    await finish(page, 'print-next');
  });

  it('upload: an STL gets a printability report, a 3-D view and similar library models', async () => {
    const stl = join(server.dir, 'bracket-upload.stl');
    writeFileSync(stl, encodeStlBinary(merge(box([40, 10, 4]), translate(box([4, 10, 30]), [0, 0, 4]))));
    const page = await open('#/upload');
    await page.setInputFiles('#upload-file', stl);
    await page.waitForSelector('[data-testid="upload-report"] table.report');
    await page.waitForSelector('[data-testid="upload-similar"] li.card');
    expect(await page.locator('[data-testid="upload-similar"] li.card').count()).toBe(12);
    expect(await page.locator('[data-testid="upload-report"]').textContent()).toContain('40 × 10 × 34 mm');
    const px = await canvasPixels(page);
    expect(px.colours).toBeGreaterThan(20);
    await finish(page, 'upload');
  });

  it('dashboard: model comparison, curves, losses and the shape map render; a point opens its item', async () => {
    const page = await open('#/dashboard');
    await page.waitForSelector('[data-testid="chart-ndcg"] rect');
    await page.waitForSelector('[data-testid="chart-shape-map"] circle');
    expect(await page.locator('table.models:not(.sequential-models) tbody tr').count()).toBe(4);
    expect(await page.locator('table.sequential-models tbody tr').count()).toBe(1);
    expect(await page.locator('table.sequential-models tbody th').first().textContent()).toBe('markov (active)');
    expect(await page.locator('[data-testid="chart-ndcg"] .bar rect').count()).toBe(4);
    expect(await page.locator('[data-testid="chart-ndcg"] .ci').count()).toBe(4);
    expect(await page.locator('[data-testid="chart-ndcg-k"] path.series').count()).toBe(4);
    expect(await page.locator('[data-testid="chart-loss"] path.series').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-encoder-loss"] path.series').count()).toBe(1);
    // every embedded item: the 60 of the library plus any uploaded by an earlier test of this file
    const map = (await (await fetch(`${server.url}/v1/insights/shape-map?limit=1500`)).json()) as { points: unknown[] };
    expect(map.points.length).toBeGreaterThanOrEqual(60);
    expect(await page.locator('[data-testid="chart-shape-map"] circle').count()).toBe(map.points.length);
    const d = await page.locator('[data-testid="chart-ndcg-k"] path.series').first().getAttribute('d');
    expect(d?.split('L').length).toBe(20);
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    await page.locator('[data-testid="chart-shape-map"] a').last().click(); // drawn last = on top
    await page.waitForSelector('#item-title');
    expect(page.url()).toContain('#/item/');
    await finish(page, 'dashboard-click');
  });

  it('experiments: a running A/B test shows its arms, traffic, metrics with CIs, p-value over time and verdict', async () => {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return res.json() as Promise<Record<string, unknown> & unknown[]>;
    };
    const models = (await api('GET', '/v1/models')) as unknown as { id: string; kind: string }[];
    const ref = (kind: string) => models.find((m) => m.kind === kind)!.id;
    const created = await api('POST', '/v1/experiments', {
      id: 'pop-vs-ease',
      name: 'Popularity vs EASE',
      arms: [
        { name: 'popularity', model: ref('pop') },
        { name: 'ease', model: ref('ease') },
      ],
      settings: { minUsers: 10 },
      start: true,
    });
    expect(created.status).toBe('running');
    const users = (await api('GET', '/v1/users?limit=100')) as unknown as { items: { id: string }[] };
    for (const u of users.items) {
      const r = (await api('GET', `/v1/users/${u.id}/recommendations?k=6`)) as unknown as {
        recommendationId: string;
        items: { itemId: string }[];
      };
      const events = r.items
        .slice(0, 2)
        .map((it) => ({ userId: u.id, itemId: it.itemId, type: 'view', recommendationId: r.recommendationId }));
      await api('POST', '/v1/events', { events });
    }
    const page = await open('#/experiments/pop-vs-ease');
    await page.waitForSelector('[data-testid="arms"] tbody tr');
    expect(await page.locator('[data-testid="arms"] tbody tr').count()).toBe(2);
    expect(await page.locator('table.models').first().locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.badge.running').count()).toBeGreaterThan(0);
    const verdict = await page.locator('[data-testid="verdict"]').textContent();
    expect(verdict).toMatch(/Verdict: /);
    expect(await page.locator('[data-testid="exp-bars"] .bar rect').count()).toBe(2);
    expect(await page.locator('[data-testid="exp-bars"] .ci').count()).toBe(2);
    const firstRow = await page.locator('[data-testid="arms"] tbody tr').first().textContent();
    expect(firstRow).toMatch(/popularity/);
    expect(firstRow).toMatch(/\d+\.\d+ %/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.waitForSelector('.badge.stopped');
    await finish(page, 'experiments');
  });

  it('jobs: the jobs panel lists state, progress, attempts, worker and error, and filters by state', async () => {
    const store = await openSqliteStore(join(server.dir, 'layerwise.db'));
    try {
      await store.saveJobRecord({ id: 'embed-all', kind: 'embed', state: 'completed', progress: 1, attempts: 2 });
      await store.saveJobRecord({ id: 'upload-x', kind: 'ingest', state: 'failed', error: 'x.stl: not a mesh' });
      await store.saveJobRecord({ id: 'train-1', kind: 'train', state: 'active', progress: 0.4, worker: 'w:7' });
    } finally {
      await store.close();
    }
    const page = await open('#/jobs');
    await page.waitForSelector('[data-testid="jobs"] tbody tr');
    expect(await page.locator('[data-testid="jobs"] tbody tr').count()).toBe(3);
    const running = await page.locator('tr', { hasText: 'train-1' }).textContent();
    expect(running).toMatch(/active.*40 %.*w:7/);
    await page.getByLabel('State').selectOption('failed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="jobs"] tbody tr').length === 1);
    expect(await page.locator('[data-testid="jobs"] tbody').textContent()).toMatch(/upload-x.*x\.stl: not a mesh/);
    await finish(page, 'jobs');
  });
});

/**
 * What people look at, in headless Chromium: the HTML report's lead card (the category's human
 * title with its id as a tag), the pattern timeline (new and spiking patterns drawn prominently,
 * steady ones muted), runbook references as links (to the passage in the report and to the
 * runbook file), and the static browse page at a phone's 390 px: no horizontal overflow, and
 * each filter (search, category, resource, the address) changes the visible rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderBrowsePage, renderHtml } from '../../functions/core/stages/compose/html/index.js';
import { matchesFilters } from '../../functions/core/stages/compose/html/browse.js';
import { categoryLabel } from '../../functions/core/stages/compose/labels.js';
import { loadRunbookIndex, localHtmlRenderer } from '../../functions/composition/local.js';
import type { DiagnosisIndexEntry } from '../../functions/core/ports/diagnosis-store.port.js';
import type { LogPattern } from '../../functions/core/model/analysis.js';
import { diagnosisFixture } from '../support/diagnosis-fixture.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

const OUT = path.resolve('.tmp/screenshots');
const available = chromiumAvailable();
if (!available) console.warn('report reading tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');

const MINUTE = 60_000;
const START = Date.parse('2026-11-30T06:12:00Z');

/** A steady pattern: high counts, flat. */
function steady(i: number): LogPattern {
  return {
    templateId: `s${i}`, template: `<*> INFO [worker-${i}] c.s.checkout.Poller${i} - polled queue batch=<*> size=<*>`,
    count: 900 - i * 50, baselineCount: 880 - i * 50, level: 'INFO', samples: [], isNew: false, isSpiking: false,
    timeline: { bucketMs: 5 * MINUTE, start: START, counts: [150, 148, 152, 149, 151, 150].map((c) => c - i * 8) },
  };
}

/** Six steady patterns more frequent than one spiking and one new pattern, listed most frequent first as the analyzer lists them. */
const PATTERNS: LogPattern[] = [
  ...[0, 1, 2, 3, 4, 5].map(steady),
  { templateId: 'spike', template: '<*> ERROR [http-nio-<*>] c.s.checkout.PaymentClient - payment call failed: connection reset', count: 42, baselineCount: 2, level: 'ERROR', samples: [], isNew: false, isSpiking: true, timeline: { bucketMs: 5 * MINUTE, start: START, counts: [0, 0, 1, 4, 15, 22] } },
  { templateId: 'new', template: '<*> WARN [scheduling-1] c.s.checkout.CacheMetrics - cart cache above soft limit: entries=<*>', count: 31, baselineCount: 0, level: 'WARN', samples: [], isNew: true, isSpiking: false, timeline: { bucketMs: 5 * MINUTE, start: START, counts: [0, 2, 5, 7, 8, 9] } },
];

const ENTRIES: DiagnosisIndexEntry[] = [
  { id: 'inc-0123456789abcdef0123', createdAt: '2026-11-30T06:42:15.000Z', title: 'shop-checkout-pod-restarts-in-the-production-eu-cluster', category: 'oom_killed', confidence: 0.91, severity: 'high', resources: ['prod-eu/shop/checkout', 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:shop-checkout-pod-restarts-in-the-production-eu-cluster'], key: 'diagnoses/2026/11/30/inc-0123456789abcdef0123.json' },
  { id: 'inc-bbbbbbbbbbbbbbbbbbbb', createdAt: '2026-11-29T10:00:00.000Z', title: 'payments-5xx', category: 'lb_target_5xx', confidence: 0.7, severity: 'medium', resources: ['payments-alb'], key: 'diagnoses/2026/11/29/inc-bbbbbbbbbbbbbbbbbbbb.json' },
  { id: 'inc-cccccccccccccccccccc', createdAt: '2026-11-28T10:00:00.000Z', title: 'orders-lambda-timeouts', category: 'lambda_timeout', confidence: 0.8, severity: 'high', resources: ['orders-fn'], key: 'diagnoses/2026/11/28/inc-cccccccccccccccccccc.json' },
  { id: 'inc-dddddddddddddddddddd', createdAt: '2026-11-27T09:30:00.000Z', title: 'batch-node-memory', category: 'memory_pressure_eviction', confidence: 0.64, severity: 'medium', resources: ['prod-eu/batch/report-builder', 'ip-10-0-12-34.eu-west-1.compute.internal'], key: 'diagnoses/2026/11/27/inc-dddddddddddddddddddd.json' },
];

async function visibleRows(page: Page): Promise<string[]> {
  return page.locator('#rows tr:visible a').allTextContents();
}

function expectedTitles(filters: Parameters<typeof matchesFilters>[1]): string[] {
  return ENTRIES.filter((e) => matchesFilters(e, filters)).map((e) => e.title);
}

describe.skipIf(!available)('reports people look at, in Chromium', () => {
  let browser: Browser;
  let reportUrl: string;
  let browseUrl: string;
  let runbookFile: string;
  let runbookHeading: string;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // The local mode's renderer over the bundled runbooks: the fixture cites a real passage.
    const index = await loadRunbookIndex([]);
    const chunk = index.chunks.find((c) => c.path.startsWith('bundled/') && c.heading.includes(' › ')) ?? index.chunks[0]!;
    runbookHeading = chunk.heading;
    runbookFile = chunk.path;
    const base = diagnosisFixture();
    const d = diagnosisFixture({
      logPatterns: PATTERNS,
      hypotheses: [{ ...base.hypotheses[0]!, runbooks: [{ title: chunk.title, heading: chunk.heading, path: chunk.path }] }, ...base.hypotheses.slice(1)],
    });
    const report = path.join(OUT, 'reading-report.html');
    writeFileSync(report, localHtmlRenderer(index)(d));
    reportUrl = pathToFileURL(report).href;
    const browse = path.join(OUT, 'reading-browse.html');
    writeFileSync(browse, renderBrowsePage(ENTRIES, {}, { static: true, reportHref: (e) => e.key.replace(/\.json$/, '.html') }));
    browseUrl = pathToFileURL(browse).href;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [1280, 390]) {
    it(`shows the lead category's human title with its id as a tag (${width} px)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(reportUrl);
      const title = page.locator('section.lead .category-title');
      const tag = page.locator('section.lead .category-id');
      expect(await title.textContent()).toBe(categoryLabel('oom_killed'));
      expect(await title.textContent()).not.toBe('oom_killed');
      expect(await tag.textContent()).toBe('oom_killed');
      expect(await title.isVisible()).toBe(true);
      expect(await tag.isVisible()).toBe(true);
      // The tag is drawn as a tag: its own background, smaller than the title.
      const style = await tag.evaluate((el) => { const s = (globalThis as any).getComputedStyle(el); return { bg: s.backgroundColor, size: parseFloat(s.fontSize) }; });
      const titleSize = await title.evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
      expect(style.bg).not.toBe('rgba(0, 0, 0, 0)');
      expect(style.size).toBeLessThan(titleSize);
      expect(await page.title()).toContain(categoryLabel('oom_killed'));
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.close();
    });
  }

  it('draws the new and spiking patterns prominently and the steady ones muted, even when steady ones are more frequent', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(reportUrl);
    const read = (figure: string) => page.locator(`#h-timeline ~ figure.${figure} svg path.series`).evaluateAll((paths) => paths.map((p) => {
      const s = (globalThis as any).getComputedStyle(p);
      return { label: p.querySelector('title')?.textContent ?? '', width: parseFloat(s.strokeWidth), stroke: s.stroke, dashed: s.strokeDasharray !== 'none' };
    }));
    const strong = await read('notable');
    const muted = await read('steady');
    // Both notable patterns are drawn (first, in the chart right under the heading) although six steady ones are more frequent; five lines in all.
    expect(await page.locator('#h-timeline + figure').getAttribute('class')).toBe('notable');
    expect(strong.map((s) => s.label)).toEqual([expect.stringContaining('PaymentClient'), expect.stringContaining('CacheMetrics')]);
    expect(strong.every((s) => /^\[(new|spike)\]/.test(s.label))).toBe(true);
    expect(muted.every((s) => !/\[(new|spike)\]/.test(s.label))).toBe(true);
    expect(strong.length + muted.length).toBe(5);
    const grey = (c: string) => { const [r, g, b] = c.match(/\d+/g)!.map(Number); return Math.max(r!, g!, b!) - Math.min(r!, g!, b!) < 30; };
    for (const s of strong) {
      expect(s.dashed).toBe(false);
      expect(grey(s.stroke)).toBe(false);
      for (const m of muted) expect(s.width).toBeGreaterThan(m.width * 2);
    }
    for (const m of muted) {
      expect(m.dashed).toBe(true);
      expect(grey(m.stroke)).toBe(true);
    }
    // The notable chart is the larger one: the spike is drawn over most of its height, not flattened under the steady counts.
    const notableBox = (await page.locator('#h-timeline ~ figure.notable svg').boundingBox())!;
    const steadyBox = (await page.locator('#h-timeline ~ figure.steady svg').boundingBox())!;
    expect(notableBox.height).toBeGreaterThan(steadyBox.height);
    expect(notableBox.y).toBeLessThan(steadyBox.y);
    const spike = (await page.locator('#h-timeline ~ figure.notable svg path.series').first().boundingBox())!;
    expect(spike.height).toBeGreaterThan(notableBox.height * 0.4);
    // The legend lists them first, emphasised; steady ones muted.
    const legend = await page.locator('#h-timeline ~ ul.legend li').evaluateAll((items) => items.map((li) => ({ cls: li.className, text: li.textContent ?? '', weight: Number((globalThis as any).getComputedStyle(li).fontWeight) })));
    expect(legend.slice(0, 2).map((l) => l.cls)).toEqual(['emphasis', 'emphasis']);
    expect(legend.slice(2).every((l) => l.cls === 'muted')).toBe(true);
    expect(legend[0]!.weight).toBeGreaterThan(legend[2]!.weight);
    await page.locator('#h-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, 'reading-timeline.png'), fullPage: true });
    await page.close();
  });

  it('makes each runbook a link: to its passage in the report and to the runbook file', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(reportUrl);
    const link = page.locator('ul.runbooks li > a').first();
    expect(await link.getAttribute('href')).toBe('#runbook-1');
    const passage = page.locator('#runbook-1');
    // Collapsed until the link is followed; following it opens the passage and scrolls to it.
    expect(await passage.isVisible()).toBe(false);
    await link.click();
    await expect.poll(() => page.evaluate(() => (globalThis as any).location.hash)).toBe('#runbook-1');
    await expect.poll(() => passage.isVisible()).toBe(true);
    expect((await passage.textContent())!.length).toBeGreaterThan(20);
    const top = await passage.evaluate((el) => el.getBoundingClientRect().top);
    expect(top, `passage top ${top}`).toBeGreaterThanOrEqual(-1);
    expect(top).toBeLessThan(900);
    const open = page.locator('ul.runbooks li a.src').first();
    const href = (await open.getAttribute('href'))!;
    expect(href.startsWith('file://')).toBe(true);
    const file = fileURLToPath(href.replace(/#.*$/, ''));
    expect(existsSync(file)).toBe(true);
    expect(file.endsWith(runbookFile.replace(/^bundled\//, ''))).toBe(true);
    expect(href.split('#')[1]).toMatch(/^[a-z0-9_-]+$/);
    expect(runbookHeading.length).toBeGreaterThan(0);
    await page.close();
  });

  it('fits the static browse page in 390 px and every filter changes the visible rows', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(browseUrl);
    expect(await page.locator('#filters').isVisible()).toBe(true);
    expect(await visibleRows(page)).toEqual(ENTRIES.map((e) => e.title));
    // No horizontal overflow: not the page, not the table inside its scroller.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const wrap = await page.locator('.wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(wrap.scroll).toBeLessThanOrEqual(wrap.client);
    for (const cell of await page.locator('#rows tr:first-child td').all()) {
      if (!(await cell.isVisible())) continue;
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: path.join(OUT, 'reading-browse-390.png'), fullPage: true });

    await page.fill('#q', 'payments');
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ q: 'payments' }));
    expect(await page.locator('#shown').textContent()).toBe('1');
    await page.fill('#q', '');
    await expect.poll(() => visibleRows(page)).toHaveLength(ENTRIES.length);

    await page.selectOption('#category', 'memory_pressure_eviction');
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ category: 'memory_pressure_eviction' }));
    await page.selectOption('#category', '');

    await page.fill('#resource', 'ORDERS-fn');
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ resource: 'orders-fn' }));
    await page.fill('#resource', 'nothing-like-this');
    await expect.poll(() => visibleRows(page)).toEqual([]);
    expect(await page.locator('#none').isVisible()).toBe(true);
    await page.fill('#resource', '');

    // The button filters in place (a static page has no server to submit to).
    const before = page.url();
    await page.fill('#q', 'eviction');
    await page.click('#filters button[type=submit]');
    expect(page.url()).toBe(before);
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ q: 'eviction' }));
    await page.close();
  });

  it('reads the filters from the address, and hides the form when no script can run', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${browseUrl}?category=lambda_timeout`);
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ category: 'lambda_timeout' }));
    expect(await page.locator('#category').inputValue()).toBe('lambda_timeout');
    await page.goto(`${browseUrl}?resource=prod-eu`);
    await expect.poll(() => visibleRows(page)).toEqual(expectedTitles({ resource: 'prod-eu' }));
    await page.close();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const noScript = await context.newPage();
    await noScript.goto(browseUrl);
    expect(await noScript.locator('#filters').isVisible()).toBe(false);
    expect(await noScript.locator('#rows tr').count()).toBe(ENTRIES.length);
    expect(await noScript.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('lists only the categories present on a static page, by title and id', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await page.goto(browseUrl);
    const values = await page.locator('#category option').evaluateAll((o) => o.map((x) => (x as any).value).filter(Boolean));
    expect(values.sort()).toEqual([...new Set(ENTRIES.map((e) => e.category))].sort());
    expect(await page.locator('#category option[value=oom_killed]').textContent()).toBe(`${categoryLabel('oom_killed')} (oom_killed)`);
    await page.close();
  });
});

describe('report markup without a browser', () => {
  it('lists runbooks by path when nothing can be linked', () => {
    const html = renderHtml(diagnosisFixture());
    expect(html).toContain('bundled/oom-and-memory.md');
    expect(html).not.toContain('href="#runbook-1"');
  });
});

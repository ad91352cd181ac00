/**
 * Renders the HTML report and the browse page in headless Chromium, checks that the key elements
 * are visible at desktop and phone widths, and keeps screenshots under `.tmp/screenshots/`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderBrowsePage, renderHtml } from '../../functions/core/stages/compose/html/index.js';
import { diagnosisFixture } from '../support/diagnosis-fixture.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

const OUT = path.resolve('.tmp/screenshots');
const available = chromiumAvailable();
if (!available) console.warn('browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');

describe.skipIf(!available)('HTML report in Chromium', () => {
  let browser: Browser;
  let reportUrl: string;
  let browseUrl: string;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const report = path.join(OUT, 'report.html');
    writeFileSync(report, renderHtml(diagnosisFixture()));
    reportUrl = pathToFileURL(report).href;
    const d = diagnosisFixture();
    const entries = [
      { id: d.id, createdAt: d.createdAt, title: d.incident.title, category: 'oom_killed', confidence: 0.91, severity: 'high', resources: ['prod-eu/shop/checkout'], key: 'diagnoses/2026/11/30/a.json' },
      { id: 'inc-bbbbbbbbbbbbbbbbbbbb', createdAt: '2026-11-29T10:00:00.000Z', title: 'payments-5xx', category: 'lb_target_5xx', confidence: 0.7, severity: 'medium', resources: ['payments-alb'], key: 'diagnoses/2026/11/29/b.json' },
      { id: 'inc-cccccccccccccccccccc', createdAt: '2026-11-28T10:00:00.000Z', title: 'orders-lambda-timeouts', category: 'lambda_timeout', confidence: 0.8, severity: 'high', resources: ['orders-fn'], key: 'diagnoses/2026/11/28/c.json' },
    ];
    const browse = path.join(OUT, 'browse.html');
    writeFileSync(browse, renderBrowsePage(entries));
    browseUrl = pathToFileURL(browse).href;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the leading hypothesis, the actions and both charts on a desktop screen', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(reportUrl);
    await expect.poll(() => page.locator('.lead .category-id').textContent()).toBe('oom_killed');
    expect(await page.locator('.lead .category').isVisible()).toBe(true);
    expect(await page.getByText('Confidence').first().isVisible()).toBe(true);
    expect(await page.locator('ol.actions li').count()).toBe(2);
    const metric = await page.locator('#h-metric + figure svg').boundingBox();
    const timeline = await page.locator('#h-timeline + figure svg').boundingBox();
    expect(metric!.width).toBeGreaterThan(400);
    expect(metric!.height).toBeGreaterThan(100);
    expect(timeline!.width).toBeGreaterThan(400);
    expect(await page.locator('mark.quote').first().isVisible()).toBe(true);
    // The lead section is above the fold.
    const lead = await page.locator('section.lead').boundingBox();
    expect(lead!.y).toBeLessThan(900);
    expect(requests).toEqual([]);
    const shot = await page.screenshot({ path: path.join(OUT, 'report-desktop.png'), fullPage: true });
    expect(shot.length).toBeGreaterThan(20_000);
    await page.close();
  });

  it('fits a phone screen without horizontal scrolling of the page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(reportUrl);
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(390);
    expect(await page.locator('.lead .category').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'report-phone.png'), fullPage: true });
    await page.close();
  });

  it('lists diagnoses and filters them by typing and by category', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(browseUrl);
    expect(await page.locator('#rows tr:visible').count()).toBe(3);
    await page.fill('#q', 'payments');
    await expect.poll(() => page.locator('#rows tr:visible').count()).toBe(1);
    expect(await page.locator('#rows tr:visible a').textContent()).toBe('payments-5xx');
    await page.fill('#q', '');
    await page.selectOption('#category', 'lambda_timeout');
    await expect.poll(() => page.locator('#rows tr:visible').count()).toBe(1);
    expect(await page.locator('#shown').textContent()).toBe('1');
    await page.screenshot({ path: path.join(OUT, 'browse.png'), fullPage: true });
    await page.close();
  });
});

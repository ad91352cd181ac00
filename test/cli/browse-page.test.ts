/**
 * The browse page of `ops-assistant serve` in headless Chromium: lists diagnoses newest first,
 * filters by category through the form (server side, no script needed), and opens a report.
 * Also the static page written by `ops-assistant page`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { startServer, type RunningServer } from '../../functions/cli/commands/serve.js';
import { registerPageCommand } from '../../functions/cli/commands/page.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

const OOM = 'Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\nEvents:\n  Type     Reason   Age  From     Message\n  ----     ------   ---- ----     -------\n  Warning  BackOff  2m   kubelet  Back-off restarting failed container api in pod orders-api-7d9f8b6c5-x2k4p_shop(1)';
const PVC = 'Events:\n  Type     Reason              Age   From                         Message\n  ----     ------              ----  ----                         -------\n  Warning  ProvisioningFailed  21s   persistentvolume-controller  storageclass.storage.k8s.io "fast-ssd" not found';

const available = chromiumAvailable();
if (!available) console.warn('browse page browser test skipped: no Chromium at /usr/bin/chromium');

describe.skipIf(!available)('browse page in Chromium', () => {
  let out: string;
  let server: RunningServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'ops-browse-'));
    server = await startServer({ outDir: out, useModel: false });
    base = `http://127.0.0.1:${server.port}`;
    for (const evidence of [OOM, PVC]) {
      const res = await fetch(`${base}/v1/diagnoses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ evidence }) });
      expect(res.status).toBe(201);
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (!process.env.KEEP_OUT) rmSync(out, { recursive: true, force: true }); else console.log('kept', out);
  });

  it('lists, filters by category without script, and opens a report', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(await page.locator('#rows tr').count()).toBe(2);
    await page.selectOption('#category', 'pvc_pending');
    await Promise.all([page.waitForURL(/category=pvc_pending/), page.click('button[type=submit]')]);
    expect(await page.locator('#rows tr').count()).toBe(1);
    mkdirSync('.tmp/screenshots', { recursive: true });
    await page.screenshot({ path: '.tmp/screenshots/serve-browse.png', fullPage: true });
    await Promise.all([page.waitForURL(/format=html/), page.locator('#rows tr a').first().click()]);
    expect(await page.locator('.lead .category-id').textContent()).toBe('pvc_pending');
    expect(await page.locator('mark.quote').first().isVisible()).toBe(true);
    await context.close();
  }, 60_000);

  it('writes a static page (ops-assistant page) whose filters all work at 390 px', async () => {
    // A third diagnosis naming its service, so that the resource filter has a resource to find.
    const named = await fetch(`${base}/v1/diagnoses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ evidence: OOM, context: { service: 'billing-worker', namespace: 'payments' } }) });
    expect(named.status).toBe(201);
    const program = new Command().exitOverride();
    registerPageCommand(program);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'ops-assistant', 'page', '--out', out]);
    } finally {
      process.stdout.write = write;
    }
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
    const rows = () => page.locator('#rows tr:visible').count();
    expect(await rows()).toBe(3);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.selectOption('#category', 'pvc_pending');
    await expect.poll(rows).toBe(1);
    await page.selectOption('#category', 'oom_killed');
    await expect.poll(rows).toBe(2);
    await page.selectOption('#category', '');
    await page.fill('#resource', 'BILLING');
    await expect.poll(rows).toBe(1);
    expect(await page.locator('#rows tr:visible td.hide-sm').last().textContent()).toContain('billing-worker');
    await page.fill('#resource', '');
    await page.fill('#q', 'pvc_pending');
    await page.click('#filters button[type=submit]');
    await expect.poll(rows).toBe(1);
    expect(page.url().endsWith('index.html')).toBe(true);
    // Each row opens its report beside the page.
    await page.fill('#q', '');
    await Promise.all([page.waitForURL(/\.html$/), page.locator('#rows tr a').first().click()]);
    expect(await page.locator('.lead .category-id').isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});

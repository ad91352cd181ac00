/**
 * The README's first command's job, end to end: the bundled example incident through the whole
 * pipeline with the local adapters (and the bundled model), then its HTML report in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diagnoseLocal, REPO_ROOT, type LocalDiagnoseResult } from '../../functions/composition/local.js';
import { validateDiagnosis } from '../../functions/core/stages/compose/index.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples/checkout-oom');

describe('bundled example incident', () => {
  let out: string;
  let result: LocalDiagnoseResult;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'ops-e2e-'));
    result = await diagnoseLocal({
      eventPath: path.join(EXAMPLE, 'alarm.json'),
      evidencePaths: ['pod-describe.txt', 'events.txt', 'app.log', 'metric-data.json'].map((f) => path.join(EXAMPLE, f)),
      outDir: out,
    });
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('leads with oom_killed, quoting the exact describe lines, and names its model', () => {
    const d = result.diagnosis!;
    expect(validateDiagnosis(d).errors).toEqual([]);
    expect(d.hypotheses[0]!.category).toBe('oom_killed');
    expect(d.hypotheses[0]!.confidence).toBeGreaterThan(0.7);
    const describe = readFileSync(path.join(EXAMPLE, 'pod-describe.txt'), 'utf8').split('\n');
    const quoted = d.hypotheses[0]!.evidence.filter((e) => e.source.endsWith('pod-describe.txt'));
    expect(quoted.length).toBeGreaterThan(0);
    for (const e of quoted) expect(describe[e.line! - 1]).toBe(e.text);
    expect(d.model?.id).toBe('ops-encoder');
    expect(d.metrics?.[0]?.values.at(-1)).toBe(4);
    expect(d.logPatterns.some((p) => p.isNew)).toBe(true);
  });

  it('writes the incident message with one subject convention and a link to the report file', () => {
    const [message] = readdirSync(path.join(out, 'messages'));
    const text = readFileSync(path.join(out, 'messages', message!), 'utf8');
    const d = result.diagnosis!;
    expect(text.split('\n')[0]).toMatch(new RegExp(`^Subject: \\[ALARM\\] \\S.* ${d.hypotheses[0]!.category} \\(\\d+%\\)$`));
    const link = /file:\/\/\S+\.html/.exec(text)?.[0];
    expect(link).toBeDefined();
    expect(fileURLToPath(link!)).toBe(path.join(out, result.writtenKeys[0]!.replace(/\.json$/, '.html')));
  });

  it('links each runbook of its report to the passage and to the bundled runbook file', () => {
    const html = readFileSync(path.join(out, result.writtenKeys[0]!.replace(/\.json$/, '.html')), 'utf8');
    const passages = [...html.matchAll(/<a href="#(runbook-\d+)">/g)].map((m) => m[1]!);
    expect(passages.length).toBeGreaterThan(0);
    for (const id of passages) expect(html).toContain(`id="${id}"`);
    const files = [...html.matchAll(/href="(file:[^"#]+)#[^"]*"/g)].map((m) => fileURLToPath(m[1]!));
    expect(files.length).toBe(passages.length);
    for (const f of files) expect(existsSync(f)).toBe(true);
  });

  it('never writes the database password from the pod description', () => {
    const files = [result.writtenKeys[0]!, result.writtenKeys[0]!.replace(/\.json$/, '.md'), result.writtenKeys[0]!.replace(/\.json$/, '.html')];
    const messages = readdirSync(path.join(out, 'messages')).map((f) => path.join('messages', f));
    for (const f of [...files, ...messages]) {
      expect(existsSync(path.join(out, f))).toBe(true);
      expect(readFileSync(path.join(out, f), 'utf8')).not.toContain('s3cr3t-Passw0rd');
    }
    for (const format of ['text', 'json', 'markdown', 'html'] as const) expect(result.render(format)).not.toContain('s3cr3t-Passw0rd');
  });

  it.skipIf(!chromiumAvailable())('renders its report in Chromium with the metric chart and the pattern timeline', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(path.join(out, result.writtenKeys[0]!.replace(/\.json$/, '.html'))).href);
      expect(await page.locator('.lead .category-id').textContent()).toBe('oom_killed');
      for (const id of ['#h-metric', '#h-timeline']) {
        const box = await page.locator(`${id} + figure svg`).boundingBox();
        expect(box!.width).toBeGreaterThan(400);
        expect(box!.height).toBeGreaterThan(100);
      }
      expect(await page.locator('#h-metric + figure svg .threshold').count()).toBe(1);
      expect(await page.locator('#h-metric + figure svg .marker').count()).toBe(1);
      expect(await page.locator('#h-findings ~ .table-wrap table').isVisible()).toBe(true);
      await page.screenshot({ path: path.join(REPO_ROOT, '.tmp/screenshots/example-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/**
 * `ops-assistant templates` reads what `diagnose --evidence` reads, through the real binary:
 * CloudWatch Logs responses and subscription payloads (by the collect stage's readers), JSON
 * lines (their message field) and lines under common headers (timestamp and level left out of
 * the template).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './support/run-cli.js';

const collectFixture = (name: string) => path.join(REPO, 'test/core/stages/collect/fixtures', name);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-cli-templates-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The templates `-o json` prints, most frequent first. */
function templates(args: string[], input?: string): string[] {
  const r = runCli(['templates', ...args, '-o', 'json'], input === undefined ? {} : { input });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { templates: Array<{ template: string }> }).templates.map((t) => t.template);
}

describe('templates reads every evidence format', () => {
  it('mines the log events of CloudWatch Logs responses, not their JSON', () => {
    const fromFilter = templates([collectFixture('filter-log-events.json')]);
    expect(fromFilter).toContain('<*> Task timed out after <*> seconds');
    const fromGet = templates([collectFixture('get-log-events.json')]);
    expect(fromGet.some((t) => t.startsWith('ERROR FATAL: remaining connection slots'))).toBe(true);
    for (const t of [...fromFilter, ...fromGet]) expect(t).not.toMatch(/"(events|message|timestamp)"/);
  });

  it('decodes a subscription payload (awslogs.data, gzip and base64)', () => {
    const mined = templates([collectFixture('subscription-event.json')]);
    expect(mined).toContain('Runtime.OutOfMemory: Runtime exited with error: signal: killed');
  });

  it('reads a JSON document from stdin too', () => {
    const mined = templates(['-'], readFileSync(collectFixture('filter-log-events.json'), 'utf8'));
    expect(mined).toContain('<*> Task timed out after <*> seconds');
  });

  it('reads JSON lines by their message field and strips common headers', () => {
    const jsonl = path.join(dir, 'app.jsonl');
    writeFileSync(jsonl, [1, 2, 3].map((i) => JSON.stringify({ time: `2026-11-30T06:4${i}:00Z`, level: 'error', msg: `payment ${i}00 declined for order ${i}` })).join('\n'));
    expect(templates([jsonl])).toEqual(['payment <*> declined for order <*>']);

    const klog = path.join(dir, 'kubelet.log');
    writeFileSync(klog, [
      'I1130 06:40:01.123456    1234 kubelet.go:2412] "SyncLoop (probe)" probe="readiness" status="ready" pod="shop/checkout-1"',
      'I1130 06:40:02.654321    1234 kubelet.go:2412] "SyncLoop (probe)" probe="readiness" status="ready" pod="shop/checkout-2"',
      '2026-11-30T06:40:03.000Z ERROR [main] c.s.Checkout - order 17 failed',
      '2026-11-30T06:40:04.000Z ERROR [main] c.s.Checkout - order 18 failed',
    ].join('\n'));
    const mined = templates([klog]);
    expect(mined).toHaveLength(2);
    for (const t of mined) expect(t).not.toMatch(/I1130|2026-11-30|06:40/);
    expect(mined.some((t) => t.includes('order <*> failed'))).toBe(true);
  });
});

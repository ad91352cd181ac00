/**
 * Availability (issue 14, section 1) end to end: a line far over the kept length is cut after
 * its failure words were looked for (a 5 MB line ending in OOMKilled is still an OOM, and the cut
 * is named with its file and line); an event over the size limit is refused with a clear message
 * and kept in the quarantine as a truncated copy with its size and sha256.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseLocal } from '../../functions/composition/local.js';
import { MAX_EVENT_BYTES } from '../../functions/core/stages/normalize/index.js';
import { cutLongLine, MAX_KEPT_LINE_CHARS } from '../../functions/core/stages/collect/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-availability-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('long lines', () => {
  it('a 5 MB line ending in OOMKilled is still an OOM, and the cut is named with its file and line', async () => {
    const file = path.join(dir, 'pod.log');
    writeFileSync(file, `2026-11-30T06:40:00Z INFO starting\n2026-11-30T06:41:00Z WARN payload ${'eyJ-'.repeat(1_310_720)} container checkout terminated: reason: OOMKilled exit code 137\n`);
    const started = Date.now();
    const result = await diagnoseLocal({ evidencePaths: [file], useModel: false });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.diagnosis!.hypotheses[0]?.category).toBe('oom_killed');
    expect(result.diagnosis!.degraded.map((d) => d.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/pod\.log line 2: a \d+-character line was cut .*OOMKilled/)]));
  }, 120_000);

  it('keeps the head and the failure words after it', () => {
    const { message, kept } = cutLongLine(`${'x'.repeat(MAX_KEPT_LINE_CHARS * 4)} Error: connection refused ${'y'.repeat(MAX_KEPT_LINE_CHARS)}`);
    expect(message.length).toBeLessThan(MAX_KEPT_LINE_CHARS + 1000);
    expect(message).toContain('Error: connection refused');
    expect(kept).toEqual(['Error:']);
  });
});

describe('events over the size limit', () => {
  it('are refused with a clear message and kept as a truncated copy with size and sha256', async () => {
    const event = path.join(dir, 'huge.json');
    const text = `{"source":"aws.cloudwatch","detail":{"x":"${'a'.repeat(MAX_EVENT_BYTES + 5000)}"}}`;
    writeFileSync(event, text);
    const out = path.join(dir, 'out');
    const error = await diagnoseLocal({ eventPath: event, evidencePaths: [], outDir: out, useModel: false }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/event is \d+ bytes; events are at most 1048576 bytes .*kept as/);
    const files = readdirSync(path.join(out, 'quarantine'), { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const record = JSON.parse(readFileSync(path.join(out, 'quarantine', files[0]!), 'utf8')) as { payload: string; truncated: { bytes: number; sha256: string }; error: { code: string } };
    expect(record.payload.length).toBe(MAX_EVENT_BYTES);
    expect(record.truncated).toEqual({ bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
    expect(record.error.code).toBe('INPUT_TOO_LARGE');
  });
});

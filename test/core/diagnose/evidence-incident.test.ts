/**
 * Time and identity from the evidence (`functions/core/diagnose/evidence-incident.ts`) and the
 * CLI path that uses them (`diagnoseEvidenceTexts`, `ops-assistant diagnose --evidence`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceSubject, evidenceTime, incidentFromEvidence, type EvidenceDocument } from '../../../functions/core/diagnose/index.js';
import { parseEvidenceText } from '../../../functions/core/stages/collect/index.js';
import { diagnoseEvidenceTexts, diagnoseLocal } from '../../../functions/composition/local.js';
import { sha256Hex } from '../../../functions/core/model/store-layout.js';

const LOG_2020 = [
  '2020-03-14T11:10:00Z INFO request served in 12ms',
  '2020-03-14T11:40:00Z INFO request served in 13ms',
  '2020-03-14T11:58:00Z ERROR connection refused: db.shop.svc:5432',
  '2020-03-14T11:59:00Z ERROR connection refused: db.shop.svc:5432',
  '2020-03-14T12:00:30Z INFO retrying',
].join('\n');

const DESCRIBE = `Name:         checkout-7d9f
Namespace:    shop
Status:       Running
Containers:
  app:
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
Events:
  Type     Reason   Age   From     Message
  ----     ------   ----  ----     -------
  Warning  BackOff  2m    kubelet  Back-off restarting failed container app in pod checkout-7d9f_shop
`;

function doc(text: string, source: string): EvidenceDocument {
  return { name: `file:${source}`, source, parts: parseEvidenceText(text, source), sha256: sha256Hex([text]) };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('incidentFromEvidence', () => {
  it('takes the time of the last failure line, and the windows relative to it', () => {
    const incident = incidentFromEvidence([doc(LOG_2020, 'app.log')]);
    expect(incident.occurredAt).toBe('2020-03-14T11:59:00.000Z');
    expect(incident.window).toEqual({ start: '2020-03-14T11:29:00.000Z', end: '2020-03-14T12:00:00.000Z' });
    expect(incident.baseline).toEqual({ start: '2020-03-14T10:58:00.000Z', end: '2020-03-14T11:29:00.000Z' });
  });

  it('falls back to the last timestamp, then to the clock; --at wins', () => {
    expect(evidenceTime([parseEvidenceText('2021-01-01T00:00:00Z INFO a\n2021-01-01T00:05:00Z INFO b\n', 'x')])).toBe(Date.parse('2021-01-01T00:05:00Z'));
    expect(incidentFromEvidence([doc('no time here\n', 'x')], { now: () => new Date('2030-01-01T00:00:00Z') }).occurredAt).toBe('2030-01-01T00:00:00.000Z');
    expect(incidentFromEvidence([doc(LOG_2020, 'app.log')], { at: new Date('2020-03-14T09:15:00Z') }).occurredAt).toBe('2020-03-14T09:15:00.000Z');
  });

  it('names the subject the evidence is about: a described pod, its namespace', () => {
    expect(evidenceSubject([parseEvidenceText(DESCRIBE, 'pod.txt')])).toEqual({ type: 'Pod', name: 'checkout-7d9f', namespace: 'shop' });
    const incident = incidentFromEvidence([doc(DESCRIBE, 'pod.txt')], { now: () => new Date('2026-01-01T00:00:00Z') });
    expect(incident.title).toBe('Local diagnosis of Pod shop/checkout-7d9f (pod.txt)');
    expect(incident.resources).toEqual([{ type: 'Pod', name: 'checkout-7d9f', namespace: 'shop' }]);
  });

  it('names a Lambda function from its log group', () => {
    const text = JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: '/aws/lambda/checkout', logStream: 's', logEvents: [{ id: '1', timestamp: 1_600_000_000_000, message: 'ERROR Task timed out after 3.00 seconds' }] });
    const incident = incidentFromEvidence([doc(text, 'sub.json')]);
    expect(incident.functionName).toBe('checkout');
    expect(incident.resources.map((r) => r.type)).toEqual(['AWS::Logs::LogGroup', 'AWS::Lambda::Function']);
  });

  it('derives the id from the content: the same input is the same incident, different inputs differ', () => {
    const a = incidentFromEvidence([doc(LOG_2020, 'stdin')]);
    expect(incidentFromEvidence([doc(LOG_2020, 'stdin')]).id).toBe(a.id);
    expect(incidentFromEvidence([doc(`${LOG_2020}\n`, 'stdin')]).id).not.toBe(a.id);
    expect(incidentFromEvidence([doc(LOG_2020, 'stdin')], { at: new Date('2020-03-14T09:15:00Z') }).id).not.toBe(a.id);
  });
});

describe('diagnosing evidence as the CLI does', () => {
  it('diagnoses a log from 2020 as of 2020, with its baseline lines counted as baseline', async () => {
    const d = await diagnoseEvidenceTexts([{ name: 'app.log', text: LOG_2020 }], { useModel: false, now: () => new Date('2026-12-01T00:00:00Z') });
    expect(d.incident.occurredAt).toBe('2020-03-14T11:59:00.000Z');
    const served = d.logPatterns.find((p) => p.template.includes('request served'));
    expect(served).toMatchObject({ count: 1, baselineCount: 1 }); // 11:40 in the window, 11:10 in the baseline
    expect(d.logPatterns.find((p) => p.template.includes('connection refused'))).toMatchObject({ count: 2, isNew: true });
  });

  it('gives the same answer whenever it is run (two clocks), apart from createdAt', async () => {
    const file = path.join(dir, 'app.log');
    writeFileSync(file, LOG_2020);
    const run = async (now: string) => (await diagnoseLocal({ evidencePaths: [file], useModel: false, now: () => new Date(now) })).diagnosis!;
    const a = await run('2026-01-01T00:00:00Z');
    const b = await run('2031-07-04T12:00:00Z');
    const strip = (d: typeof a) => ({ ...d, createdAt: undefined, timings: undefined });
    expect(strip(b)).toEqual(strip(a));
    expect(a.createdAt).not.toBe(b.createdAt);
  }, 60_000);
});

/**
 * One event through every entry point of the diagnose use case — `ops-assistant diagnose`, the
 * local server's `POST /v1/diagnoses`, the Lambda alarm handler — gives the same diagnosis; and the
 * alarm's `OK` transition is recorded, not diagnosed, on each of them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsError } from '../support/aws-servers/index.js';
import { startHarness, lambdaContext, type Harness } from '../handlers/harness.js';
import { handler as alarmHandler } from '../../functions/handlers/alarm.js';
import { main } from '../../functions/cli/main.js';
import { startServer, type RunningServer } from '../../functions/cli/commands/serve.js';
import type { Diagnosis } from '../../functions/core/model/diagnosis.js';

const ALARM = 'CheckoutErrors';
const ALARM_TIME = '2026-03-14T12:00:00Z';
const OK_TIME = '2026-03-14T12:20:00Z';

function alarmEvent(state: 'ALARM' | 'OK', time: string): Record<string, unknown> {
  return {
    version: '0', id: `evt-${state}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${ALARM}`],
    detail: {
      alarmName: ALARM,
      configuration: { description: 'checkout 5xx', metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Checkout', name: 'Http5xx', dimensions: { Service: 'checkout' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: state === 'ALARM' ? 'OK' : 'ALARM', reason: 'previous', timestamp: time },
      state: { value: state, reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: time },
    },
  };
}

let h: Harness;
let server: RunningServer;
const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-entry-'));
const files = { alarm: path.join(dir, 'alarm.json'), ok: path.join(dir, 'ok.json') };

beforeAll(async () => {
  h = await startHarness();
  server = await startServer({ outDir: path.join(dir, 'serve'), useModel: false });
  writeFileSync(files.alarm, JSON.stringify(alarmEvent('ALARM', ALARM_TIME)));
  writeFileSync(files.ok, JSON.stringify(alarmEvent('OK', OK_TIME)));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI, returning its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), out };
  } finally {
    spy.mockRestore();
  }
}

async function viaServe(event: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/v1/diagnoses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event }) });
  return { status: res.status, body: await res.json() };
}

/** What must not depend on the entry point: the incident and the ranked answer. */
function essence(d: Diagnosis) {
  const { labels: { via: _via, ...labels }, ...incident } = d.incident as Diagnosis['incident'] & { labels: Record<string, string> };
  return { id: d.id, incident: { ...incident, labels }, hypotheses: d.hypotheses.map((x) => ({ category: x.category, confidence: x.confidence, evidence: x.evidence })) };
}

describe('one event, every entry point', () => {
  it('diagnoses an ALARM transition alike on the CLI, serve and the Lambda handler', async () => {
    // The Lambda's own collectors find nothing (the local runs have no live system either).
    h.fakes.logs.reset();
    for (let i = 0; i < 10; i++) {
      h.fakes.logs.script('DescribeMetricFilters', { body: { metricFilters: [] } });
      h.fakes.logs.script('DescribeLogGroups', { body: { logGroups: [] } });
      h.fakes.cloudwatch.script('GetMetricData', awsError('AccessDeniedException', 'denied'));
    }
    await h.drain();

    const cliOut = path.join(dir, 'cli');
    const run = await cli(['diagnose', '--event', files.alarm, '--out', cliOut, '--format', 'json', '--no-model']);
    expect(run.code).toBe(0);
    const fromCli = JSON.parse(run.out) as Diagnosis;

    const served = await viaServe(alarmEvent('ALARM', ALARM_TIME));
    expect(served.status).toBe(201);
    const fromServe = served.body.diagnosis as Diagnosis;

    const outcome = await alarmHandler(alarmEvent('ALARM', ALARM_TIME), lambdaContext());
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true });
    const fromLambda = JSON.parse(await h.object((outcome as { key: string }).key)) as Diagnosis;

    expect(essence(fromServe)).toEqual(essence(fromCli));
    expect(essence(fromLambda)).toEqual(essence(fromCli));
    for (const d of [fromCli, fromServe, fromLambda]) {
      expect(Object.keys(d.timings).sort()).toEqual(['analyze', 'collect', 'compose', 'infer', 'normalize', 'retrieve']);
    }
    await h.drain();
  }, 60_000);

  it('records the OK transition on the open incident and diagnoses nothing, on each entry point', async () => {
    const cliOut = path.join(dir, 'cli');
    const run = await cli(['diagnose', '--event', files.ok, '--out', cliOut]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Not diagnosed: alarm CheckoutErrors went back to OK at 2026-03-14T12:20:00.000Z; recorded on the open incident inc-/);
    const marker = readFileSync(path.join(cliOut, 'storms', (await import('node:fs')).readdirSync(path.join(cliOut, 'storms'))[0]!, 'current.json'), 'utf8');
    expect(JSON.parse(marker)).toMatchObject({ alarm: `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${ALARM}`, okAt: '2026-03-14T12:20:00.000Z' });

    const served = await viaServe(alarmEvent('OK', OK_TIME));
    expect(served).toMatchObject({ status: 200, body: { status: 'ok-recorded' } });

    const before = await h.keys('diagnoses/');
    expect(await alarmHandler(alarmEvent('OK', OK_TIME), lambdaContext())).toMatchObject({ status: 'ok-recorded' });
    expect(await h.keys('diagnoses/')).toEqual(before);
    expect(await h.drain()).toHaveLength(0);
  }, 60_000);

  it('reads the time and subject of evidence submitted without an event alike on the CLI and serve', async () => {
    const text = [
      'Name:         checkout-7d9f',
      'Namespace:    shop',
      'Node:         ip-10-0-1-2.eu-west-1.compute.internal',
      'Containers:',
      '  app:',
      '    State:          Waiting',
      '      Reason:       CrashLoopBackOff',
      '    Last State:     Terminated',
      '      Reason:       OOMKilled',
      '      Exit Code:    137',
      '',
      '2020-06-01T08:00:00Z INFO started',
      '2020-06-01T08:04:00Z ERROR java.lang.OutOfMemoryError: Java heap space',
    ].join('\n');
    const file = path.join(dir, 'pod-and-log.txt');
    writeFileSync(file, text);
    const run = await cli(['diagnose', '--evidence', file, '--no-write', '--format', 'json', '--no-model']);
    const fromCli = JSON.parse(run.out) as Diagnosis;
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/diagnoses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ evidence: text }) });
    const fromServe = ((await res.json()) as { diagnosis: Diagnosis }).diagnosis;
    for (const d of [fromCli, fromServe]) {
      expect(d.incident.occurredAt).toBe('2020-06-01T08:04:00.000Z');
      expect(d.incident.resources).toContainEqual({ type: 'Pod', name: 'checkout-7d9f', namespace: 'shop' });
    }
    expect(fromServe.incident.title).toBe('Diagnosis request for Pod shop/checkout-7d9f');
    expect(fromCli.incident.title).toBe(`Local diagnosis of Pod shop/checkout-7d9f (${file})`);
    expect(fromServe.hypotheses.map((h) => h.category)).toEqual(fromCli.hypotheses.map((h) => h.category));
  }, 60_000);
});

/**
 * Contract of the diagnose use case (`functions/core/diagnose/diagnose.service.ts`) over in-memory
 * ports: read and quarantine, the alarm policy, degradations and timings passed to compose once,
 * delivery. Prepare / act / assess.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseEvent, type DiagnoseDeps } from '../../../functions/core/diagnose/index.js';
import { admitTransition, markerKeyOf, recordOkTransition } from '../../../functions/core/diagnose/storm.js';
import type { AlarmStormGuard, AlarmTagFilter, StormMarker } from '../../../functions/core/diagnose/ports.js';
import type { Diagnosis } from '../../../functions/core/model/diagnosis.js';
import type { DiagnosisStore, QuarantineRecord, DiagnosisRenderings } from '../../../functions/core/ports/diagnosis-store.port.js';
import { RunbookIndex } from '../../../functions/core/stages/retrieve/index.js';
import { parseEvidenceText } from '../../../functions/core/stages/collect/index.js';
import { UnsupportedEventError } from '../../../functions/core/model/errors.js';

class MemoryStore implements DiagnosisStore {
  readonly docs = new Map<string, Diagnosis>();
  readonly quarantined: QuarantineRecord[] = [];
  readonly occurrences = new Map<string, { count: number }>();
  async put(d: Diagnosis, _r: DiagnosisRenderings) {
    const created = !this.docs.has(d.id);
    if (created) this.docs.set(d.id, d);
    return { key: `diagnoses/${d.id}.json`, created };
  }
  async get(id: string) { return this.docs.get(id); }
  async list() { return { items: [] }; }
  async quarantine(record: QuarantineRecord) { this.quarantined.push(record); return `quarantine/${this.quarantined.length}.json`; }
  async recordOccurrences(id: string, o: { count: number }) { this.occurrences.set(id, o); }
}

class MemoryStormGuard implements AlarmStormGuard {
  readonly markers = new Map<string, StormMarker>();
  async admit(incident: Parameters<AlarmStormGuard['admit']>[0]) {
    const key = markerKeyOf(incident)!;
    const { decision, next } = admitTransition(this.markers.get(key), incident, key, 30 * 60_000);
    if (next) this.markers.set(key, next);
    return decision;
  }
  async recordOk(incident: Parameters<AlarmStormGuard['admit']>[0]) {
    const key = markerKeyOf(incident)!;
    const current = this.markers.get(key);
    if (!current) return undefined;
    const { marker } = recordOkTransition(current, incident);
    this.markers.set(key, marker);
    return marker;
  }
  async current(incident: Parameters<AlarmStormGuard['admit']>[0]) { return this.markers.get(markerKeyOf(incident)!); }
}

function alarm(state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', time: string, name = 'CheckoutErrors'): Record<string, unknown> {
  return {
    version: '0', id: `evt-${name}-${state}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${name}`],
    detail: { alarmName: name, state: { value: state, reason: 'Threshold Crossed', timestamp: time }, previousState: { value: 'OK', timestamp: time }, configuration: { metrics: [] } },
  };
}

async function makeDeps(overrides: Partial<DiagnoseDeps> = {}) {
  const store = new MemoryStore();
  const stormGuard = new MemoryStormGuard();
  const counted: string[] = [];
  const deps: DiagnoseDeps = {
    store,
    pipeline: { runbooks: await RunbookIndex.build([]), collectorsFor: () => [] },
    alarms: { stormGuard },
    startupDegraded: [{ component: 'infer:model', kind: 'skipped', reason: 'models/manifest.json not found' }],
    now: () => new Date('2026-03-14T13:00:00Z'),
    observer: { count: (m) => counted.push(m) },
    ...overrides,
  };
  return { deps, store, stormGuard, counted };
}

describe('diagnoseEvent', () => {
  it('diagnoses an ALARM transition with every degradation and timing seen by compose once', async () => {
    const { deps, store, counted } = await makeDeps({
      pipeline: {
        runbooks: await RunbookIndex.build([]),
        collectorsFor: () => [{ name: 'cloudwatch-logs', collect: async () => { throw Object.assign(new Error('not authorized to perform: logs:StartQuery'), { name: 'AccessDeniedException' }); } }],
      },
    });
    const outcome = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 'test' } }, deps);
    expect(outcome).toMatchObject({ status: 'diagnosed', created: true, key: expect.stringMatching(/^diagnoses\//) });
    const d = store.docs.get(outcome.incidentId!)!;
    expect(d.degraded).toEqual([
      { component: 'cloudwatch-logs', kind: 'permission', reason: expect.stringContaining('not authorized') },
      { component: 'infer:model', kind: 'skipped', reason: 'models/manifest.json not found' },
    ]);
    expect(d.summary).toMatch(/Incomplete: cloudwatch-logs permission; infer:model skipped\.$/);
    expect(Object.keys(d.timings).sort()).toEqual(['analyze', 'collect', 'compose', 'infer', 'normalize', 'retrieve']);
    expect(counted).toEqual(['DiagnosesCreated', 'DiagnosesDegraded']);
  });

  it('records an OK transition on the open incident and never diagnoses it', async () => {
    const { deps, store, stormGuard } = await makeDeps();
    const first = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 'test' } }, deps);
    const ok = await diagnoseEvent({ event: { payload: alarm('OK', '2026-03-14T12:10:00Z'), input: 'test' } }, deps);
    expect(ok).toMatchObject({ status: 'ok-recorded', incidentId: first.incidentId });
    expect(store.docs.size).toBe(1);
    expect([...stormGuard.markers.values()][0]).toMatchObject({ okAt: '2026-03-14T12:10:00.000Z' });
    // without a storm guard (e.g. --no-write) an OK is still not diagnosed
    const { deps: bare, store: empty } = await makeDeps({ alarms: undefined });
    expect(await diagnoseEvent({ event: { payload: alarm('OK', '2026-03-14T12:10:00Z'), input: 'test' } }, bare)).toMatchObject({ status: 'ok-recorded' });
    expect(empty.docs.size).toBe(0);
  });

  it('folds a repeated ALARM within the window and counts it on the open incident', async () => {
    const { deps, store } = await makeDeps();
    const first = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 'test' } }, deps);
    const second = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:05:00Z'), input: 'test' } }, deps);
    expect(second).toMatchObject({ status: 'folded', incidentId: first.incidentId, count: 2 });
    expect(store.occurrences.get(first.incidentId!)).toMatchObject({ count: 2 });
    expect(store.docs.size).toBe(1);
  });

  it('ignores other states, configuration changes and alarms the tag filter rejects; an unknown tag check is a degradation', async () => {
    const rejecting: AlarmTagFilter = { check: async () => ({ kind: 'mismatch', alarmArn: 'arn', missing: [{ key: 'team', value: 'a' }], reason: 'lacks team=a' }) };
    const unknown: AlarmTagFilter = { check: async () => ({ kind: 'unknown', degradation: { component: 'alarm-tag-filter', kind: 'permission', reason: 'denied' } }) };
    const { deps } = await makeDeps();
    expect(await diagnoseEvent({ event: { payload: alarm('INSUFFICIENT_DATA', '2026-03-14T12:00:00Z'), input: 't' } }, deps)).toMatchObject({ status: 'ignored', reason: 'alarm state INSUFFICIENT_DATA' });
    const { deps: filtered } = await makeDeps({ alarms: { tagFilter: rejecting } });
    expect(await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 't' } }, filtered)).toMatchObject({ status: 'ignored', reason: 'lacks team=a' });
    const { deps: unsure, store } = await makeDeps({ alarms: { tagFilter: unknown } });
    const outcome = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 't' } }, unsure);
    expect(store.docs.get(outcome.incidentId!)!.degraded.map((g) => g.component)).toContain('alarm-tag-filter');
  });

  it('quarantines an unreadable event through the store port and rethrows; not when told not to', async () => {
    const { deps, store, counted } = await makeDeps();
    let kept: string | undefined;
    await expect(diagnoseEvent({ event: { raw: '{"hello": 1}', input: 'x.json', quarantineAs: 'cli:x.json' }, onQuarantined: (k) => { kept = k; } }, deps)).rejects.toBeInstanceOf(UnsupportedEventError);
    expect(store.quarantined).toEqual([expect.objectContaining({ payload: '{"hello": 1}', encoding: 'utf8', input: 'cli:x.json', receivedAt: '2026-03-14T13:00:00.000Z' })]);
    expect(kept).toBe('quarantine/1.json');
    expect(counted).toContain('PayloadsQuarantined');
    await expect(diagnoseEvent({ event: { raw: new Uint8Array([0xff, 0xfe, 0x00]), input: 'bin' } }, deps)).rejects.toThrow();
    expect(store.quarantined[1]).toMatchObject({ encoding: 'base64' });
    await expect(diagnoseEvent({ event: { raw: '{}', input: 'body' }, quarantine: false }, deps)).rejects.toThrow();
    expect(store.quarantined).toHaveLength(2);
  });

  it('answers a stored incident from the store when the store can tell', async () => {
    const { deps, store } = await makeDeps();
    const first = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 't' } }, deps);
    const withKeys = { ...deps, store: Object.assign(store, { keyOf: async (id: string) => (store.docs.has(id) ? `diagnoses/${id}.json` : undefined) }) };
    const again = await diagnoseEvent({ event: { payload: alarm('ALARM', '2026-03-14T12:00:00Z'), input: 't' }, returnStored: true }, withKeys);
    expect(again).toMatchObject({ status: 'diagnosed', created: false, incidentId: first.incidentId });
    expect(again.status === 'diagnosed' && again.diagnosis).toBe(store.docs.get(first.incidentId!));
  });

  it('diagnoses evidence alone without a store (--no-write): nothing kept, the diagnosis returned', async () => {
    const { deps } = await makeDeps({ store: undefined, alarms: undefined });
    const text = '2020-02-01T10:00:00Z INFO started\n2020-02-01T10:05:00Z ERROR OOMKilled: container checkout exceeded its memory limit\n';
    const outcome = await diagnoseEvent({ evidence: [{ name: 'file:app.log', source: 'app.log', parts: parseEvidenceText(text, 'app.log'), sha256: 'abc' }] }, deps);
    expect(outcome).toMatchObject({ status: 'diagnosed', created: false });
    expect(outcome.status === 'diagnosed' && outcome.key).toBeUndefined();
    expect(outcome.status === 'diagnosed' && outcome.diagnosis?.incident.occurredAt).toBe('2020-02-01T10:05:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../functions/core/model/diagnosis.js';
import {
  MESSAGE_MAX_BYTES,
  SUBJECT_MAX_CHARS,
  incidentMessage,
  incidentSubject,
  truncateUtf8,
  utf8Bytes,
} from '../../../../functions/core/stages/deliver/index.js';
import { makeDiagnosis } from '../../../compose/fixtures/diagnosis.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function attributeBytes(attributes: Readonly<Record<string, string>>): number {
  return Object.entries(attributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes('String') + utf8Bytes(v), 0);
}

describe('incidentMessage', () => {
  const d = makeDiagnosis();

  it('has a subject naming state, resource, leading hypothesis, confidence and location', () => {
    const { subject } = incidentMessage(d);
    expect(subject).toBe('[ALARM] checkout-5xx in prod/checkout: oom_killed (87%)');
    expect(subject).toMatch(PRINTABLE_ASCII);
  });

  it('tags every incident [ALARM] or [EVENT] first, whatever its state or severity, then resource, category and confidence', () => {
    const ecs = { ...d, incident: { ...d.incident, source: 'ecs' as const, state: 'STOPPED', previousState: undefined, alarm: undefined, severity: 'medium' as const, resources: [{ type: 'AWS::ECS::Service', name: 'orders-api' }], cluster: undefined, namespace: undefined } };
    expect(incidentSubject(ecs)).toBe('[EVENT] orders-api: oom_killed (87%)');
    for (const source of ['ec2', 'aws-health', 'eks', 'eventbridge', 'api', 'manual'] as const) {
      expect(incidentSubject({ ...ecs, incident: { ...ecs.incident, source, state: undefined } })).toMatch(/^\[EVENT\] orders-api: oom_killed \(87%\)$/);
    }
    for (const source of ['cloudwatch-alarm', 'cloudwatch-alarm-sns', 'cloudwatch-alarm-action', 'prometheus-alert'] as const) {
      expect(incidentSubject({ ...d, incident: { ...d.incident, source } })).toMatch(/^\[ALARM\] checkout-5xx in prod\/checkout: oom_killed \(87%\)$/);
    }
    expect(incidentSubject({ ...ecs, hypotheses: [] })).toBe('[EVENT] orders-api: unknown');
  });

  it('names the most specific resource of an event: the ECS service, not its cluster or task; the pod, with its namespace once', () => {
    const ecs = { ...d, incident: { ...d.incident, source: 'ecs' as const, alarm: undefined, namespace: undefined, cluster: undefined, resources: [
      { type: 'AWS::ECS::Cluster', name: 'prod' }, { type: 'AWS::ECS::Task', name: '0123456789abcdef0123456789abcdef' }, { type: 'AWS::ECS::Service', name: 'orders-api', cluster: 'prod' },
    ] } };
    expect(incidentSubject(ecs)).toBe('[EVENT] orders-api: oom_killed (87%)');
    const eks = { ...d, incident: { ...d.incident, source: 'eks' as const, alarm: undefined, namespace: 'shop', cluster: 'prod-eks', resources: [
      { type: 'AWS::EKS::Cluster', name: 'prod-eks' }, { type: 'Pod', name: 'checkout-7d9f8b6c5-x2mqp', namespace: 'shop', cluster: 'prod-eks' },
    ] } };
    expect(incidentSubject(eks)).toBe('[EVENT] checkout-7d9f8b6c5-x2mqp in shop: oom_killed (87%)');
    const clusterOnly = { ...eks, incident: { ...eks.incident, namespace: undefined, resources: [{ type: 'AWS::EKS::Cluster', name: 'prod-eks' }] } };
    expect(incidentSubject(clusterOnly)).toBe('[EVENT] prod-eks: oom_killed (87%)');
  });

  it('keeps the subject under 100 ASCII characters for long, non-ASCII names, keeping the verdict', () => {
    const long = makeDiagnosis({ alarmName: `Überlast—${'zahlungsdienst-'.repeat(12)}\nend` });
    const subject = incidentSubject(long);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(PRINTABLE_ASCII);
    expect(subject.startsWith('[ALARM] Uberlast-zahlungsdienst-')).toBe(true);
    expect(subject.endsWith('...: oom_killed (87%)')).toBe(true);
  });

  it('sets the attributes subscription filters use', () => {
    expect(incidentMessage(d).attributes).toEqual({ category: 'oom_killed', severity: 'high', resource: 'checkout-5xx' });
  });

  it('has a body readable at 80 columns with what fired, the verdict, top 3 evidence lines, actions and the link', () => {
    const { body } = incidentMessage(d, { reportUrl: 'https://reports.example/diagnoses/2026/11/30/inc-0123456789abcdef0123.html' });
    for (const line of body.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(body.startsWith('Leading hypothesis: oom_killed (87% confidence)\n')).toBe(true);
    expect(body).toContain('What fired');
    expect(body).toContain('State:     OK -> ALARM');
    expect(body.replace(/\s+/g, ' ')).toContain('Alarm: AWS/ApplicationELB HTTPCode_Target_5XX_Count > 1 (Sum, 60 s, 1 period)');
    expect(body).toContain('When:      2026-11-30T06:58:12.000Z');
    expect(body).toContain('    >     Reason:       OOMKilled');
    expect(body).toContain('    >     Exit Code:    137');
    expect(body).toContain('[REDACTED:password-in-url]');
    expect(body).not.toContain('fourth line not in the e-mail');
    expect(body).toContain('$ kubectl set resources deployment/checkout -n prod --limits=memory=1Gi');
    expect(body).toContain('app_crash (8%)');
    expect(body.replace(/\s+/g, ' ')).toContain('memory limit (oom_killed) at 87% confidence');
    expect(body).not.toContain('`');
    expect(body).toContain('Full report:');
    expect(body).toContain('inc-0123456789abcdef0123.html');
  });

  it('fits a message under 256 KiB (UTF-8 bytes, attributes included) and points at the full report', () => {
    const huge: Diagnosis = { ...d, summary: `Überlauf € ${'ä€😀 '.repeat(60_000)}` };
    const url = 'https://reports.example/x.html';
    const message = incidentMessage(huge, { reportUrl: url });
    const total = utf8Bytes(message.body) + attributeBytes(message.attributes);
    expect(total).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
    expect(total).toBeGreaterThan(MESSAGE_MAX_BYTES - 8 * 1024);
    expect(message.body).toMatch(/\[Message cut to fit the SNS size limit: \d+ bytes in full\. Full report: https:\/\/reports\.example\/x\.html\]\n$/);
    expect(message.body).not.toContain('\uFFFD');
    expect(message.body.startsWith('Leading hypothesis: oom_killed')).toBe(true);
  });

  it('does not cut a message that fits', () => {
    expect(incidentMessage(d).body).not.toContain('Message cut');
  });
});

describe('truncateUtf8', () => {
  it('never splits a multi-byte character', () => {
    const text = 'a€€€';
    expect(truncateUtf8(text, 5)).toBe('a€');
    expect(truncateUtf8(text, 4)).toBe('a€');
    expect(truncateUtf8(text, 3)).toBe('a');
    expect(truncateUtf8(text, 100)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnsupportedEventError } from '../../../../functions/core/model/errors.js';
import { detectEventShape, normalizeEvent } from '../../../../functions/core/stages/normalize/index.js';
import { fixture, normalizeFixture } from './helpers.js';

describe('API Gateway requests', () => {
  it('REST v1 with a nested ECS event: the event is normalized, evidence and question attached', () => {
    const incident = normalizeFixture('apigw-v1-with-event.json');
    expect(detectEventShape(fixture('apigw-v1-with-event.json'))).toBe('apigateway-rest-v1');
    expect(incident.source).toBe('ecs');
    expect(incident.hintedCategory).toBe('oom_killed');
    expect(incident.question).toBe('Why does the cart service keep restarting?');
    expect(incident.inlineEvidence).toContain('2026-03-14T15:21:30Z cart java.lang.OutOfMemoryError: Java heap space');
    expect(incident.inlineEvidence).toContain('Essential container in task exited');
    expect(incident.labels['via']).toBe('api-gateway-v1');
    // Extra evidence makes it a different request than the bare event, and the id says so.
    expect(incident.id).not.toBe(normalizeFixture('ecs-task-stopped-oom.json').id);
  });

  it('HTTP v2 with evidence only: source api, context as cluster/namespace/service, since=2h as look-back', () => {
    const incident = normalizeFixture('apigw-v2-evidence.json');
    expect(incident.source).toBe('api');
    expect(incident.title).toBe('What is wrong with the api deployment?');
    expect(incident).toMatchObject({ cluster: 'prod-eks', namespace: 'shop', accountId: '210987654321', region: 'eu-west-1', severity: 'medium' });
    expect(incident.inlineEvidence).toEqual(['Warning  BackOff  2m (x14 over 9m)  kubelet  Back-off restarting failed container api in pod api-6d9f7c8b5-q7w2e_shop']);
    expect(incident.resources).toContainEqual({ type: 'Service', name: 'api', namespace: 'shop', cluster: 'prod-eks' });
    expect(incident.occurredAt).toBe('2026-03-14T23:00:00.000Z');
    expect(incident.window).toEqual({ start: '2026-03-14T21:00:00.000Z', end: '2026-03-14T23:01:00.000Z' });
  });

  it('HTTP v2 with a base64 body carrying an alarm event gets the alarm incident and its id', () => {
    const incident = normalizeFixture('apigw-v2-base64-event.json');
    expect(incident.source).toBe('cloudwatch-alarm');
    expect(incident.alarm?.name).toBe('checkout-api-errors');
    expect(incident.id).toBe(normalizeFixture('eventbridge-alarm-metric.json').id);
  });

  it('the bare request body (local server) is read too', () => {
    const incident = normalizeEvent({ evidence: ['ERROR db pool exhausted'], question: 'why?' }, { input: 'body' });
    expect(detectEventShape({ evidence: 'x' })).toBe('api-body');
    expect(incident).toMatchObject({ source: 'api', question: 'why?', inlineEvidence: ['ERROR db pool exhausted'] });
  });

  it('rejects bodies without event, evidence or question, bodies that are not JSON, missing bodies, and wrong field types', () => {
    const request = fixture('apigw-v2-evidence.json') as any;
    const withBody = (body: unknown) => ({ ...request, body });
    expect(() => normalizeEvent(withBody('{"a": 1}'), { input: 'req' })).toThrow(UnsupportedEventError);
    expect(() => normalizeEvent(withBody('{"a": 1}'), { input: 'req' })).toThrow(/none of 'event', 'evidence', 'question', 'context' \(keys: a\)/);
    expect(() => normalizeEvent(withBody('Hello from Lambda!'), { input: 'req' })).toThrow(/body is not JSON/);
    expect(() => normalizeEvent(withBody(null), { input: 'req' })).toThrow(/has no body/);
    expect(() => normalizeEvent(withBody('{"evidence": 42}'), { input: 'req' })).toThrow(InvalidInputError);
    expect(() => normalizeEvent(withBody('{"evidence": 42}'), { input: 'req' })).toThrow(/field 'evidence'/);
    expect(() => normalizeEvent(withBody('{"evidence": "x", "context": {"since": "yesterday-ish"}}'), { input: 'req' })).toThrow(/context.since/);
    expect(() => normalizeEvent(withBody('{"evidence": "x"'), { input: 'req' })).toThrow(/truncated JSON/);
    expect(() => normalizeEvent(withBody('{"event": {"hello": "world"}}'), { input: 'req' })).toThrow(/not an AWS event/);
  });
});

describe('Prometheus alerts', () => {
  it('reads an Alertmanager webhook: first firing alert leads, every pod a resource, descriptions as evidence', () => {
    const incident = normalizeFixture('alertmanager-webhook.json');
    expect(incident.source).toBe('prometheus-alert');
    expect(incident.title).toBe('KubePodCrashLooping: Pod is crash looping. (+1 more alert)');
    expect(incident).toMatchObject({ namespace: 'shop', cluster: 'prod-eks', severity: 'medium', state: 'firing' });
    expect(incident.occurredAt).toBe('2026-03-14T23:10:27.669Z');
    expect(incident.resources.map((r) => r.name)).toEqual(['api-6d9f7c8b5-q7w2e', 'api-6d9f7c8b5-z9x8c']);
    expect(incident.inlineEvidence).toHaveLength(2);
    expect(incident.hintedCategory).toBeUndefined(); // crash looping alone does not name a cause
  });

  it('reads one Alertmanager alert: job label → Job resource and a job_failed hint', () => {
    const incident = normalizeFixture('alertmanager-alert.json');
    expect(detectEventShape(fixture('alertmanager-alert.json'))).toBe('alertmanager-alert');
    expect(incident.resources).toEqual([{ type: 'Job', name: 'nightly-reindex-29551200', namespace: 'search', cluster: 'prod-eks' }]);
    expect(incident.hintedCategory).toBe('job_failed');
    expect(incident.inlineEvidence?.[0]).toMatch(/^Job search\/nightly-reindex-29551200 failed to complete/);
  });

  it('reads a Robusta finding: subject, priority, event table rows as evidence lines', () => {
    const incident = normalizeFixture('robusta-finding.json');
    expect(incident.severity).toBe('high');
    expect(incident.resources[0]).toEqual({ type: 'Deployment', name: 'web', namespace: 'web', cluster: 'staging-eks' });
    expect(incident.inlineEvidence).toContain('Warning FailedScheduling: 0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
    expect(incident.inlineEvidence?.[0]).toMatch(/has not matched the expected number of replicas/);
  });

  it('maps severity labels', () => {
    const alert = fixture('alertmanager-alert.json') as any;
    const severity = (label: string) => normalizeEvent({ ...alert, labels: { ...alert.labels, severity: label } }, { input: 't' }).severity;
    expect(severity('critical')).toBe('critical');
    expect(severity('warning')).toBe('medium');
    expect(severity('info')).toBe('info');
  });
});

describe('events wrapped in SNS or SQS', () => {
  it('an EventBridge event delivered through an SNS topic keeps its own source and id', () => {
    const direct = normalizeFixture('ecs-task-stopped-oom.json');
    const notification = {
      Type: 'Notification',
      MessageId: '0d9c8b7a-6f5e-5d4c-9b3a-2f1e0d9c8b7a',
      TopicArn: 'arn:aws:sns:us-west-2:210987654321:ecs-events',
      Message: JSON.stringify(fixture('ecs-task-stopped-oom.json')),
      Timestamp: '2026-03-14T15:21:45.001Z',
    };
    const viaSns = normalizeEvent({ Records: [{ EventSource: 'aws:sns', Sns: notification }] }, { input: 'sns' });
    expect(viaSns.source).toBe('ecs');
    expect(viaSns.id).toBe(direct.id);
    expect(viaSns.hintedCategory).toBe('oom_killed');
  });
});

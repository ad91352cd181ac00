import { describe, expect, it } from 'vitest';
import { InputTooLargeError, InvalidInputError, UnsupportedEventError } from '../../../../functions/core/model/errors.js';
import {
  detectEventShape, locateJsonError, manualIncident, MAX_EVENT_BYTES, normalizeEvent, parseEventJson, parseTime,
} from '../../../../functions/core/stages/normalize/index.js';
import { fixture, fixtureText, normalizeFixture } from './helpers.js';

describe('parseEventJson', () => {
  it('parses JSON and drops a UTF-8 byte-order mark', () => {
    expect(parseEventJson('\uFEFF{"source":"aws.ecs"}', 'e.json')).toEqual({ source: 'aws.ecs' });
  });

  it('rejects empty input', () => {
    expect(() => parseEventJson('  \n', 'e.json')).toThrow(InvalidInputError);
    expect(() => parseEventJson('', 'e.json')).toThrow(/^e\.json: event is empty/);
  });

  it('rejects truncated JSON naming where it ends', () => {
    const text = fixtureText('ec2-state-stopped.json');
    const cut = text.slice(0, text.indexOf('"detail"') + 20);
    const error = (() => { try { parseEventJson(cut, 'ec2.json'); } catch (e) { return e as Error; } return undefined; })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error?.message).toMatch(/^ec2\.json: truncated JSON: the document ends at line 10, column \d+/);
    expect(() => parseEventJson('{"a": "abc', 'x')).toThrow(/truncated JSON/);
    expect(() => parseEventJson('{"a": [1, 2', 'x')).toThrow(/truncated JSON/);
  });

  it('reports a syntax error with line, column and offset', () => {
    expect(() => parseEventJson('{\n  "a": 1,\n  "b": tru\n}', 'bad.json')).toThrow(/^bad\.json: invalid JSON at line 3, column 8 \(offset 19/);
  });

  it('rejects binary content', () => {
    const binary = String.fromCharCode(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00) + 'garbage';
    expect(() => parseEventJson(binary, 'blob.gz')).toThrow(/looks binary/);
    expect(() => parseEventJson('{"a":\u0000}', 'nul.json')).toThrow(/control byte 0x00 at line 1, column 6/);
  });

  it('rejects text that was not valid UTF-8 (U+FFFD left by the decoder)', () => {
    const bytes = Buffer.concat([Buffer.from('{"detail-type": "x'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const text = new TextDecoder('utf-8').decode(bytes);
    expect(() => parseEventJson(text, 'latin1.json')).toThrow(/not valid UTF-8 \(U\+FFFD replacement character at line 1, column 19\)/);
  });

  it('rejects input over 1 MiB with InputTooLargeError before parsing', () => {
    const big = `{"detail": "${'x'.repeat(MAX_EVENT_BYTES)}"}`;
    expect(() => parseEventJson(big, 'big.json')).toThrow(InputTooLargeError);
    // Multi-byte characters count as bytes, not UTF-16 units.
    const wide = `{"d": "${'é'.repeat(MAX_EVENT_BYTES / 2)}"}`;
    expect(wide.length).toBeLessThan(MAX_EVENT_BYTES);
    expect(() => parseEventJson(wide, 'wide.json')).toThrow(/bytes; the limit is 1048576 bytes/);
  });
});

describe('normalizeEvent rejects what is not an event', () => {
  const reject = (payload: unknown) => () => normalizeEvent(payload, { input: 'in.json' });

  it.each([
    [{}, /not an AWS event: an empty JSON object/],
    [null, /the JSON value is null/],
    [42, /a JSON number/],
    [[1, 2], /a JSON array of 2 item/],
    [{ foo: 1, bar: 2 }, /no 'source'\/'detail-type', no 'Records', no 'AlarmName' \(top-level keys: foo, bar\)/],
    [{ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, /rule pattern/],
    [{ version: '0', id: 'x', source: 'aws.ecs', 'detail-type': 'ECS Task State Change', time: '2026-01-01T00:00:00Z' }, /EventBridge event with detail-type 'ECS Task State Change' has no detail object/],
    [{ awslogs: { data: 'H4sI' } }, /CloudWatch Logs subscription payload is log evidence/],
    [{ MetricAlarms: [{ AlarmName: 'a' }], CompositeAlarms: [] }, /AWS API response/],
    [{ events: [], searchedLogStreams: [], ResponseMetadata: {} }, /AWS API response/],
    [{ Records: [{ eventSource: 'aws:s3', s3: {} }] }, /Records from 'aws:s3' is not an incident event/],
    [{ Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:210987654321:t', Message: 'deploy finished' }, /Message is plain text/],
    [[{ Source: 'a', DetailType: 'b', Detail: '{}' }, { Source: 'a', DetailType: 'c', Detail: '{}' }], /2 PutEvents entries/],
    [[{ Source: 'a', DetailType: 'b', Detail: '{oops' }], /Detail is not JSON/],
  ])('%j', (payload, message) => {
    expect(reject(payload)).toThrow(UnsupportedEventError);
    expect(reject(payload)).toThrow(message);
  });

  it('refuses absurdly deep nesting with a typed error (no stack overflow)', () => {
    let detail: unknown = {};
    for (let i = 0; i < 100_000; i++) detail = { d: detail };
    const event = { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail };
    expect(() => normalizeEvent(event, { input: 'deep.json' })).toThrow(/more than 64 levels deep/);
    expect(() => normalizeEvent(event, { input: 'deep.json' })).toThrow(InvalidInputError);
  });

  it('errors name the input', () => {
    expect(() => normalizeEvent({}, { input: 'alarm.json' })).toThrow(/^alarm\.json: /);
  });

  it('accepts several identical SNS records (a duplicate delivery) but not different ones', () => {
    const event = fixture('lambda-sns-alarm.json') as any;
    const twice = { Records: [event.Records[0], event.Records[0]] };
    expect(normalizeEvent(twice, { input: 't' }).alarm?.name).toBe('checkout-api-errors');
    const other = { ...event.Records[0], Sns: { ...event.Records[0].Sns, MessageId: 'another' } };
    expect(() => normalizeEvent({ Records: [event.Records[0], other] }, { input: 't' })).toThrow(/2 different records/);
  });

  it('rejects bad options', () => {
    expect(() => normalizeEvent(fixture('ec2-state-stopped.json'), { input: 'x', lookbackMinutes: 0 })).toThrow(/lookbackMinutes/);
    expect(() => normalizeEvent(fixture('ec2-state-stopped.json'), { input: 'x', lookbackMinutes: Number.NaN })).toThrow(InvalidInputError);
    expect(() => normalizeEvent(fixture('ec2-state-stopped.json'), { input: 'x', now: new Date('nope') })).toThrow(/options.now must be a valid Date/);
  });
});

describe('ids, windows and the raw payload', () => {
  it('derives the same id for a repeated delivery and different ids for different events', () => {
    const a = normalizeEvent(fixture('ecs-task-stopped-oom.json'), { input: 'a', now: new Date('2026-01-01T00:00:00Z') });
    const b = normalizeEvent(fixture('ecs-task-stopped-oom.json'), { input: 'b', now: new Date('2030-01-01T00:00:00Z') });
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^inc-[0-9a-f]{20}$/);
    const event = fixture('ecs-task-stopped-oom.json') as any;
    expect(normalizeEvent({ ...event, id: 'another-event-id' }, { input: 'c' }).id).not.toBe(a.id);
  });

  it('derives an alarm id from ARN and transition time, not from the EventBridge event id', () => {
    const event = fixture('eventbridge-alarm-metric.json') as any;
    const base = normalizeEvent(event, { input: 'x' }).id;
    expect(normalizeEvent({ ...event, id: 'redelivered' }, { input: 'x' }).id).toBe(base);
    const later = { ...event, detail: { ...event.detail, state: { ...event.detail.state, timestamp: '2026-03-14T10:26:53.220+0000' } } };
    expect(normalizeEvent(later, { input: 'x' }).id).not.toBe(base);
  });

  it('window is [occurredAt - lookback, occurredAt + 1 min) and the baseline the same length before it', () => {
    const incident = normalizeFixture('ec2-state-stopped.json');
    expect(incident.occurredAt).toBe('2026-03-14T17:05:33.000Z');
    expect(incident.window).toEqual({ start: '2026-03-14T16:35:33.000Z', end: '2026-03-14T17:06:33.000Z' });
    expect(incident.baseline).toEqual({ start: '2026-03-14T16:04:33.000Z', end: '2026-03-14T16:35:33.000Z' });
    const wide = normalizeFixture('ec2-state-stopped.json', 120);
    expect(wide.window.start).toBe('2026-03-14T15:05:33.000Z');
  });

  it('widens the default window to an alarm evaluation span longer than 30 minutes, unless lookback is given', () => {
    const event = fixture('eventbridge-alarm-metric.json') as any;
    const metric = event.detail.configuration.metrics[0];
    const hourly = { ...event, detail: { ...event.detail, configuration: { metrics: [{ ...metric, metricStat: { ...metric.metricStat, period: 3600 } }] } } };
    const incident = normalizeEvent(hourly, { input: 'x' });
    expect(Date.parse(incident.occurredAt) - Date.parse(incident.window.start)).toBe(3 * 3600_000);
    const explicit = normalizeEvent(hourly, { input: 'x', lookbackMinutes: 15 });
    expect(Date.parse(explicit.occurredAt) - Date.parse(explicit.window.start)).toBe(15 * 60_000);
  });

  it('uses options.now when the payload has no time', () => {
    const incident = normalizeEvent({ evidence: 'x' }, { input: 'x', now: new Date('2026-05-05T05:05:05Z') });
    expect(incident.occurredAt).toBe('2026-05-05T05:05:05.000Z');
  });

  it('keeps the raw payload out of the incident', () => {
    for (const name of ['apigw-v1-with-event.json', 'sqs-sns-alarm.json', 'robusta-finding.json', 'ecs-task-stopped-oom.json']) {
      const json = JSON.stringify(normalizeFixture(name));
      expect(json).not.toContain('receiptHandle');
      expect(json).not.toContain('multiValueHeaders');
      expect(json).not.toContain('containerArn');
      expect(json).not.toContain('column_renderers');
    }
  });
});

describe('detectEventShape', () => {
  it('names shapes and returns undefined for unknown payloads', () => {
    expect(detectEventShape(fixture('eventbridge-alarm-composite.json'))).toBe('eventbridge:cloudwatch-alarm-state-change');
    expect(detectEventShape(fixture('lambda-sns-alarm.json'))).toBe('lambda-sns-event');
    expect(detectEventShape(fixture('sqs-sns-alarm.json'))).toBe('lambda-sqs-event');
    expect(detectEventShape(fixture('alarm-action-composite.json'))).toBe('cloudwatch-alarm-action');
    expect(detectEventShape(fixture('sns-alarm-message-metric-math.json'))).toBe('cloudwatch-alarm-sns-message');
    expect(detectEventShape(fixture('apigw-v2-evidence.json'))).toBe('apigateway-http-v2');
    expect(detectEventShape(fixture('eventbridge-generic-stepfunctions.json'))).toBe('eventbridge:generic');
    expect(detectEventShape({ hello: 'world' })).toBeUndefined();
    expect(detectEventShape('text')).toBeUndefined();
  });
});

describe('parseTime', () => {
  it.each([
    ['2023-08-04T12: 36: 15.490+0000', '2023-08-04T12:36:15.490Z'],
    ['2024-11-29 08:40:57.669000+00:00', '2024-11-29T08:40:57.669Z'],
    ['2021-06-30T12:52:44.832Z[UTC]', '2021-06-30T12:52:44.832Z'],
    ['Sat, 05 Jun 2016 15:10:09 GMT', '2016-06-05T15:10:09.000Z'],
    ['2025-01-27T06:06:29.045567', '2025-01-27T06:06:29.045Z'],
    ['2026-03-14T09:26:53.220+0100', '2026-03-14T08:26:53.220Z'],
    [1508781340401, '2017-10-23T17:55:40.401Z'],
    [1668093033.744, '2022-11-10T15:10:33.744Z'],
  ])('%s', (input, iso) => {
    expect(new Date(parseTime(input)!).toISOString()).toBe(iso);
  });

  it('returns undefined for non-times', () => {
    expect(parseTime('15/May/2020:06:01:09 +0000')).toBeUndefined();
    expect(parseTime('soon')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });
});

describe('manualIncident', () => {
  it('makes a manual incident whose id follows the seed', () => {
    const now = new Date('2026-03-14T12:00:00Z');
    const a = manualIncident({ input: 'pod.txt', seed: 'abc123', now, namespace: 'shop', cluster: 'prod-eks' });
    expect(a).toMatchObject({ source: 'manual', severity: 'medium', namespace: 'shop', cluster: 'prod-eks', occurredAt: '2026-03-14T12:00:00.000Z' });
    expect(a.window).toEqual({ start: '2026-03-14T11:30:00.000Z', end: '2026-03-14T12:01:00.000Z' });
    expect(a.title).toBe('Local diagnosis of namespace shop (pod.txt)');
    expect(manualIncident({ seed: 'abc123', now: new Date() }).id).toBe(a.id);
    expect(manualIncident({ seed: 'other', now }).id).not.toBe(a.id);
    expect(manualIncident({ title: 'Checkout slow', now, lookbackMinutes: 60 }).window.start).toBe('2026-03-14T11:00:00.000Z');
    expect(() => manualIncident({ lookbackMinutes: -1 })).toThrow(InvalidInputError);
  });
});

describe('locateJsonError', () => {
  it.each([
    ['{"a": 1} x', 'error', 9],
    ['{"a": 1,}', 'error', 8],
    ['{"a": "b\\q"}', 'error', 8],
    ['[1, 2', 'truncated', 5],
    ['{"a": tr', 'truncated', 8],
    ['{"a": "\\u00', 'truncated', 11],
    ['{"a": -', 'truncated', 7],
    ['{"a": 1}', 'valid', 8],
  ])('%j → %s at %i', (text, kind, offset) => {
    expect(locateJsonError(text)).toEqual({ kind, offset });
  });

  it('handles deep nesting without recursion', () => {
    const deep = '['.repeat(200_000);
    expect(locateJsonError(deep).kind).toBe('truncated');
    expect(() => parseEventJson(deep, 'deep.json')).toThrow(/truncated JSON/);
  });
});

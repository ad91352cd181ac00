import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../../../functions/core/stages/normalize/index.js';
import { UnsupportedEventError } from '../../../../functions/core/model/errors.js';

const event = (source: string, detailType: string) => ({
  version: '0', id: '7bf73129-1428-4cd3-a780-95db273d1602', 'detail-type': detailType, source, account: '123456789012',
  time: '2026-11-30T06:00:00Z', region: 'eu-west-1', resources: [], detail: { status: 'FAILED' },
});

describe('EventBridge events of unknown sources', () => {
  it('rejects a custom application event with a message naming its source and detail-type', () => {
    expect(() => normalizeEvent(event('acme.custom', 'Widget Exploded'), { input: 'event.json' })).toThrow(UnsupportedEventError);
    expect(() => normalizeEvent(event('acme.custom', 'Widget Exploded'), { input: 'event.json' })).toThrow(/source 'acme\.custom', detail-type 'Widget Exploded'/);
  });

  it('keeps other AWS services\' events generically', () => {
    const incident = normalizeEvent(event('aws.codepipeline', 'CodePipeline Pipeline Execution State Change'), { input: 'event.json' });
    expect(incident.source).toBe('eventbridge');
    expect(incident.severity).toBe('high');
  });
});

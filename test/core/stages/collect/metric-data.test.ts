import { describe, expect, it } from 'vitest';
import { parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';

describe('GetMetricData responses as evidence', () => {
  it('become metric series sorted by time (the API returns newest first)', () => {
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: 'm1', Label: 'Errors', Timestamps: ['2026-11-30T06:10:00+00:00', '2026-11-30T06:05:00+00:00', '2026-11-30T06:00:00+00:00'], Values: [7, 3, 0], StatusCode: 'Complete' },
        { Id: 'e1', Label: '', Timestamps: [1796018400, 1796018700], Values: [1.5, 2.5], StatusCode: 'Complete' },
        { Id: 'empty', Label: 'none', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
      Messages: [],
    }, null, 2);
    const parsed = parseEvidenceText(text, 'metrics.json');
    expect(parsed.metrics).toEqual([
      { id: 'm1', label: 'Errors', timestamps: [Date.parse('2026-11-30T06:00:00Z'), Date.parse('2026-11-30T06:05:00Z'), Date.parse('2026-11-30T06:10:00Z')], values: [0, 3, 7] },
      { id: 'e1', label: 'e1', timestamps: [1796018400000, 1796018700000], values: [1.5, 2.5] },
    ]);
    expect(parsed.logs ?? []).toEqual([]);
  });
});

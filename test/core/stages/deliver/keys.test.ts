import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../functions/core/model/errors.js';
import { diagnosisKey, quarantineKey } from '../../../../functions/core/stages/deliver/index.js';
import { makeDiagnosis } from '../../../compose/fixtures/diagnosis.js';

describe('diagnosisKey', () => {
  it('is diagnoses/YYYY/MM/DD/<id>.<ext> from the incident time', () => {
    const d = makeDiagnosis({ occurredAt: '2026-03-05T10:00:00.000Z', createdAt: '2026-03-07T01:00:00.000Z' });
    expect(diagnosisKey(d, 'json')).toBe('diagnoses/2026/03/05/inc-0123456789abcdef0123.json');
    expect(diagnosisKey(d, 'md')).toBe('diagnoses/2026/03/05/inc-0123456789abcdef0123.md');
    expect(diagnosisKey(d, 'html')).toBe('diagnoses/2026/03/05/inc-0123456789abcdef0123.html');
  });

  it('uses the UTC date, whatever offset the time was written with', () => {
    const d = makeDiagnosis({ occurredAt: '2026-12-31T23:30:00-02:00' });
    expect(diagnosisKey(d, 'json')).toBe('diagnoses/2027/01/01/inc-0123456789abcdef0123.json');
  });

  it('rejects ids that are not key-safe and times that are not times', () => {
    expect(() => diagnosisKey(makeDiagnosis({ id: '../../../../etc/passwd' }), 'json')).toThrow(InvalidInputError);
    expect(() => diagnosisKey({ ...makeDiagnosis(), incident: { ...makeDiagnosis().incident, occurredAt: 'soon' } }, 'json')).toThrow(
      /occurredAt: not an ISO-8601 time/,
    );
  });
});

describe('quarantineKey', () => {
  it('is quarantine/YYYY/MM/DD/<uuid>.json by the receive time', () => {
    expect(quarantineKey('2026-11-30T23:59:59.999Z', '0b6c1c9e-4b7a-4f7e-9d3c-2a1b0c9d8e7f')).toBe(
      'quarantine/2026/11/30/0b6c1c9e-4b7a-4f7e-9d3c-2a1b0c9d8e7f.json',
    );
    expect(() => quarantineKey('2026-11-30T00:00:00Z', 'a/b')).toThrow(InvalidInputError);
  });
});

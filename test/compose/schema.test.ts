import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../functions/core/model/categories.js';
import { InvalidDiagnosisError, assertValidDiagnosis, compose, validateDiagnosis } from '../../functions/core/stages/compose/index.js';
import { diagnosisSchema, diagnosisSchemaJson } from '../../schemas/diagnosis.schema.js';
import { makeParts } from './fixtures/diagnosis.js';

describe('diagnosis schema', () => {
  it('schemas/diagnosis.schema.json is the generated form of schemas/diagnosis.schema.ts (run npm run schema:generate)', () => {
    const onDisk = readFileSync(new URL('../../schemas/diagnosis.schema.json', import.meta.url), 'utf8');
    expect(onDisk).toBe(diagnosisSchemaJson());
  });

  it('is draft 2020-12 with an $id and the category catalogue as enum', () => {
    expect(diagnosisSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(diagnosisSchema.$id).toBe('urn:ops-assistant:schema:diagnosis:1.0');
    expect(diagnosisSchema.$defs.category.enum).toEqual([...CATEGORIES]);
  });

  it('accepts what compose produces, also after a JSON round trip', () => {
    const d = compose(makeParts());
    expect(validateDiagnosis(d)).toEqual({ valid: true, errors: [] });
    expect(validateDiagnosis(JSON.parse(JSON.stringify(d))).valid).toBe(true);
  });

  it('accepts the metric series the pipeline attaches for charts', () => {
    const d = { ...compose(makeParts()), metrics: [{ id: 'm1', label: 'HTTPCode_Target_5XX_Count', timestamps: [1, 2], values: [0, 3], threshold: 1 }] };
    expect(validateDiagnosis(d).valid).toBe(true);
  });

  it('rejects a broken diagnosis with messages naming the paths', () => {
    const d = compose(makeParts());
    const broken = {
      ...d,
      hypotheses: [{ ...d.hypotheses[0]!, confidence: 1.5, category: 'out_of_coffee' }],
      incident: { ...d.incident, occurredAt: 'yesterday' },
      extra: true,
    };
    const result = validateDiagnosis(broken);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        '/hypotheses/0/confidence must be <= 1',
        expect.stringMatching(/^\/hypotheses\/0\/category must be one of the allowed values/),
        '/incident/occurredAt must match format "date-time"',
        '/ has unexpected property "extra"',
      ]),
    );
    expect(() => assertValidDiagnosis(broken)).toThrow(InvalidDiagnosisError);
    expect(() => assertValidDiagnosis(broken)).toThrow(/\/hypotheses\/0\/confidence/);
  });

  it('rejects an empty hypothesis list', () => {
    const result = validateDiagnosis({ ...compose(makeParts()), hypotheses: [] });
    expect(result.errors).toContain('/hypotheses must NOT have fewer than 1 items');
  });
});

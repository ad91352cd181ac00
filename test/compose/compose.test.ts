import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_SCHEMA_VERSION } from '../../functions/core/model/diagnosis.js';
import { COMPOSE_LIMITS, compose, validateDiagnosis } from '../../functions/core/stages/compose/index.js';
import { EXIT_LINE, OOM_LINE, makeIncident, makeParts } from './fixtures/diagnosis.js';

describe('compose', () => {
  it('builds a diagnosis that validates against the schema', () => {
    const d = compose(makeParts());
    expect(d.schemaVersion).toBe(DIAGNOSIS_SCHEMA_VERSION);
    expect(d.id).toBe('inc-0123456789abcdef0123');
    expect(d.hypotheses[0]?.category).toBe('oom_killed');
    const result = validateDiagnosis(d);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('keeps evidence lines exact when they hold no secret', () => {
    const d = compose(makeParts());
    expect(d.hypotheses[0]?.evidence.slice(0, 2)).toEqual([
      { text: OOM_LINE, source: 'pod.txt', line: 14 },
      { text: EXIT_LINE, source: 'pod.txt', line: 15 },
    ]);
  });

  it('redacts every input-derived string and records the masks per kind', () => {
    const parts = makeParts({
      incident: makeIncident({
        reason: 'login failed for ops@example.com',
        question: 'why does AKIAIOSFODNN7EXAMPLE fail?',
        inlineEvidence: ['password=hunter2'],
        labels: { owner: 'alice@example.com' },
      }),
      degraded: [{ component: 'collect', kind: 'error', reason: 'GET https://admin:letmein@k8s.internal/api failed' }],
    });
    const analysis = parts.analysis;
    const withSecrets = {
      ...parts,
      analysis: {
        ...analysis,
        findings: [{ ...analysis.findings[0]!, message: 'env API_TOKEN=abc123xyz leaked' }],
        patterns: [{ ...analysis.patterns[0]!, samples: [{ text: 'user bob@example.org paid', source: 'app.log', line: 9 }] }],
      },
    };
    const d = compose(withSecrets);
    const json = JSON.stringify(d);
    for (const secret of ['ops@example.com', 'AKIAIOSFODNN7EXAMPLE', 'hunter2', 'alice@example.com', 'letmein', 'abc123xyz', 'bob@example.org', 'Sup3rS3cret']) {
      expect(json).not.toContain(secret);
    }
    expect(d.incident.reason).toBe('login failed for [REDACTED:email]');
    expect(d.hypotheses[0]?.evidence[2]?.text).toBe('DATABASE_URL=postgres://checkout:[REDACTED:password-in-url]@db.prod:5432/orders');
    expect(d.redactions).toEqual([
      { kind: 'aws-access-key-id', count: 1 },
      { kind: 'email', count: 3 },
      { kind: 'password', count: 1 },
      { kind: 'password-in-url', count: 2 },
      { kind: 'token', count: 1 },
    ]);
    // Identifiers are not touched.
    expect(d.incident.id).toBe(parts.incident.id);
    expect(validateDiagnosis(d).valid).toBe(true);
  });

  it('answers `unknown` at confidence 0 when infer produced nothing', () => {
    const d = compose(makeParts({ hypotheses: [] }));
    expect(d.hypotheses).toHaveLength(1);
    expect(d.hypotheses[0]).toMatchObject({ category: 'unknown', confidence: 0 });
    expect(d.summary).toContain('`unknown`');
    expect(validateDiagnosis(d).valid).toBe(true);
  });

  it('clamps confidences into [0, 1]', () => {
    const parts = makeParts();
    const d = compose({ ...parts, hypotheses: [{ ...parts.hypotheses[0]!, confidence: 1.7 }, { ...parts.hypotheses[1]!, confidence: Number.NaN }] });
    expect(d.hypotheses.map((h) => h.confidence)).toEqual([1, 0]);
  });

  it('bounds long lists and records the cut in degraded', () => {
    const parts = makeParts();
    const many = Array.from({ length: COMPOSE_LIMITS.logPatterns + 5 }, (_, i) => ({ ...parts.analysis.patterns[1]!, templateId: `t${i}` }));
    const d = compose({ ...parts, analysis: { ...parts.analysis, patterns: many } });
    expect(d.logPatterns).toHaveLength(COMPOSE_LIMITS.logPatterns);
    expect(d.degraded).toContainEqual({ component: 'compose', kind: 'truncated', reason: `kept the first ${COMPOSE_LIMITS.logPatterns} of ${many.length} log patterns` });
  });

  it('writes a summary naming the leading hypothesis, its confidence, resource and strongest evidence', () => {
    const d = compose(makeParts());
    expect(d.summary).toContain('`oom_killed`');
    expect(d.summary).toContain('87%');
    expect(d.summary).toContain('checkout-5xx in prod/checkout');
    expect(d.summary).toContain('Reason:       OOMKilled');
    expect(d.summary).toContain('pod.txt:14');
    expect(d.summary).toContain('`app_crash` (8%)');
    expect(d.summary).toContain('1 new');
  });

  it('omits the model when none ran, and keeps it when one did', () => {
    expect('model' in compose(makeParts())).toBe(false);
    const d = compose(makeParts({ model: { id: 'ops-encoder', sha256: 'a'.repeat(64) } }));
    expect(d.model).toEqual({ id: 'ops-encoder', sha256: 'a'.repeat(64) });
    expect(validateDiagnosis(d).valid).toBe(true);
  });
});

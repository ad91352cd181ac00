/**
 * The scoring's numbers live in one table, WEIGHTS; the old named constants are its fields, and
 * the numbers the scoring module's TSDoc states are the table's (so a changed weight without a
 * changed description fails here).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_REGRESSION_SCORE, MAX_CONFIDENCE, MAX_HYPOTHESES, MODEL_LINE_MIN_AGREEING, MODEL_LINE_MIN_PROBABILITY, MODEL_ONLY_MAX_SCORE,
  OTHER_RESOURCE_FACTOR, STATE_CAUSE_STEP, STATE_CORROBORATION, STATE_MAX_SCORE, STATE_SCORE, STATE_STEP, UNKNOWN_THRESHOLD, WEIGHTS,
} from '../../functions/core/stages/infer/index.js';

function leaves(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

describe('WEIGHTS', () => {
  it('is frozen', () => {
    expect(Object.isFrozen(WEIGHTS)).toBe(true);
    expect(Object.isFrozen(WEIGHTS.findings.severity)).toBe(true);
  });

  it('holds the constants other modules know by name', () => {
    expect(UNKNOWN_THRESHOLD).toBe(WEIGHTS.unknown.threshold);
    expect(DEPLOY_REGRESSION_SCORE).toBe(WEIGHTS.deployRegression.score);
    expect(MAX_CONFIDENCE).toBe(WEIGHTS.maxConfidence);
    expect(MAX_HYPOTHESES).toBe(WEIGHTS.maxHypotheses);
    expect(OTHER_RESOURCE_FACTOR).toBe(WEIGHTS.findings.otherWorkload);
    expect(MODEL_LINE_MIN_PROBABILITY).toBe(WEIGHTS.model.lineMinProbability);
    expect(MODEL_LINE_MIN_AGREEING).toBe(WEIGHTS.model.lineMinAgreeing);
    expect(MODEL_ONLY_MAX_SCORE).toBe(WEIGHTS.model.onlyMaxScore);
    expect([STATE_SCORE, STATE_CAUSE_STEP, STATE_STEP, STATE_CORROBORATION, STATE_MAX_SCORE])
      .toEqual([WEIGHTS.states.score, WEIGHTS.states.causeStep, WEIGHTS.states.step, WEIGHTS.states.corroboration, WEIGHTS.states.maxScore]);
  });

  it('states in the scoring TSDoc only numbers of the table (or the blend\'s complement and the cap below the threshold)', () => {
    const source = readFileSync(new URL('../../functions/core/stages/infer/scoring.ts', import.meta.url), 'utf8');
    const doc = /^\/\*\*([\s\S]*?)\*\//.exec(source)![1]!;
    const stated = [...doc.matchAll(/(?<![\w.])(\d+\.\d+)(?![\w.])/g)].map((m) => Number(m[1]));
    expect(stated.length).toBeGreaterThan(10);
    const allowed = new Set([
      ...leaves(WEIGHTS),
      Math.round((1 - WEIGHTS.model.blend) * 1000) / 1000,
      Math.round((WEIGHTS.unknown.threshold - WEIGHTS.model.belowThreshold) * 1000) / 1000,
    ]);
    expect(stated.filter((n) => !allowed.has(n))).toEqual([]);
  });
});

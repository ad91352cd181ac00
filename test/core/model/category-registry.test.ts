/**
 * The category registry: one frozen record per category, and the tables the stages read are
 * derived from it (labels in compose; phrases, symptoms, causes and actions in infer).
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../../functions/core/model/categories.js';
import { CATEGORY_REGISTRY, PLATFORM_DEFAULT_ACTIONS, categoryRecord, categoryTable, type CategoryRecord } from '../../../functions/core/model/category-registry.js';
import { CATEGORY_LABELS } from '../../../functions/core/stages/compose/index.js';
import { ACTION_CATALOGUE, EXPLAINS, PLATFORM_ACTIONS, SYMPTOM_CATEGORIES } from '../../../functions/core/stages/infer/index.js';

function isDeepFrozen(value: unknown): boolean {
  if (!value || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('category registry', () => {
  it('holds one record per category, in the order of the public vocabulary', () => {
    expect(Object.keys(CATEGORY_REGISTRY)).toEqual([...CATEGORIES]);
  });

  it('is frozen all the way down', () => {
    expect(isDeepFrozen(CATEGORY_REGISTRY)).toBe(true);
    expect(isDeepFrozen(PLATFORM_DEFAULT_ACTIONS)).toBe(true);
    expect(() => { (CATEGORY_REGISTRY.oom_killed as { label: string }).label = 'x'; }).toThrow(TypeError);
  });

  it('gives every category a label, a phrase and at least one step', () => {
    for (const c of CATEGORIES) {
      const r = CATEGORY_REGISTRY[c];
      expect(r.label.length, c).toBeGreaterThan(0);
      expect(r.phrase.length, c).toBeGreaterThan(0);
      expect(r.actions.default.length, c).toBeGreaterThan(0);
    }
  });

  it('names only categories as effects, never the category itself, and no effect is itself a cause (the order causes are applied in does not matter)', () => {
    const causes = CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].explains.length > 0);
    for (const c of causes) {
      for (const effect of CATEGORY_REGISTRY[c].explains) {
        expect(CATEGORIES).toContain(effect);
        expect(effect).not.toBe(c);
        expect(causes).not.toContain(effect);
      }
    }
  });

  it('marks unknown alone as the fallback, and symptoms never explain anything', () => {
    expect(CATEGORIES.filter((c) => CATEGORY_REGISTRY[c].role === 'fallback')).toEqual(['unknown']);
    for (const c of CATEGORIES) if (CATEGORY_REGISTRY[c].role === 'symptom') expect(CATEGORY_REGISTRY[c].explains).toEqual([]);
  });

  it('is what the stages read', () => {
    for (const c of CATEGORIES) {
      expect(CATEGORY_LABELS[c]).toBe(CATEGORY_REGISTRY[c].label);
      expect(ACTION_CATALOGUE[c]).toBe(CATEGORY_REGISTRY[c].actions.default);
      expect(SYMPTOM_CATEGORIES.has(c)).toBe(CATEGORY_REGISTRY[c].role === 'symptom');
      expect(EXPLAINS[c] ?? []).toEqual(CATEGORY_REGISTRY[c].explains);
      for (const p of ['ecs', 'ec2', 'lambda', 'aws'] as const) expect(PLATFORM_ACTIONS[p][c]).toBe(CATEGORY_REGISTRY[c].actions[p]);
    }
    for (const p of ['ecs', 'ec2', 'lambda', 'aws'] as const) expect(PLATFORM_ACTIONS[p].default).toBe(PLATFORM_DEFAULT_ACTIONS[p]);
  });

  it('answers unknown for an id it does not know, and builds frozen tables in vocabulary order', () => {
    expect(categoryRecord('no_such_category')).toBe(CATEGORY_REGISTRY.unknown);
    const labels = categoryTable((r) => r.label);
    expect(Object.keys(labels)).toEqual([...CATEGORIES]);
    expect(Object.isFrozen(labels)).toBe(true);
  });

  it('is checked by the compiler: a record without a field, or a table without a category, does not compile', () => {
    const complete: CategoryRecord = CATEGORY_REGISTRY.unknown;
    // @ts-expect-error a record without `phrase`
    const missingField: CategoryRecord = { label: 'x', role: 'cause', explains: [], actions: { default: [['step']] } };
    // @ts-expect-error a table without most categories
    const missingCategory = { unknown: complete } satisfies Record<Category, CategoryRecord>;
    expect([complete, missingField, missingCategory]).toHaveLength(3);
  });
});

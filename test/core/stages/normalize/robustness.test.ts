import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpsAssistantError } from '../../../../functions/core/model/errors.js';
import { normalizeEvent } from '../../../../functions/core/stages/normalize/index.js';
import { fixture } from './helpers.js';

const names = readdirSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures')).filter((n) => n.endsWith('.json')).sort();

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every [parent, key] pair in a JSON value. */
function slots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []): typeof out {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([value, i]); slots(v, out); });
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push([value as Record<string, unknown>, k]); slots(v, out); }
  }
  return out;
}

const replacements: unknown[] = [null, 42, -1e30, 1e300, 'x', '', [], {}, true, '2026-13-45T99:99:99Z', '{"truncated":', ['a', 1], { nested: { deep: [] } }];

describe('robustness: mutated payloads give an incident or a typed error, never a crash', () => {
  it.each(names)('%s', (name) => {
    const random = prng(name.length * 7919 + name.charCodeAt(0));
    for (let round = 0; round < 60; round++) {
      const payload = structuredClone(fixture(name)) as unknown;
      const all = slots(payload);
      for (let k = 0; k < 1 + Math.floor(random() * 3) && all.length > 0; k++) {
        const [parent, key] = all[Math.floor(random() * all.length)]!;
        const value = replacements[Math.floor(random() * replacements.length)];
        if (random() < 0.25 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
        else (parent as Record<string | number, unknown>)[key] = structuredClone(value);
      }
      try {
        const incident = normalizeEvent(payload, { input: name, now: new Date('2026-01-01T00:00:00Z') });
        expect(incident.id).toMatch(/^inc-[0-9a-f]{20}$/);
        expect(Number.isNaN(Date.parse(incident.occurredAt))).toBe(false);
        expect(Date.parse(incident.window.start)).toBeLessThan(Date.parse(incident.window.end));
        expect(typeof incident.title).toBe('string');
      } catch (error) {
        if (!(error instanceof OpsAssistantError)) {
          throw new Error(`${name} round ${round} crashed: ${String(error)}\n${JSON.stringify(payload).slice(0, 400)}`);
        }
      }
    }
  });
});

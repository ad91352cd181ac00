/**
 * Availability (issue 14, section 1), the functions that loop over input: the redactor, the
 * template miner's masks, the evidence parsers, the signature matcher (every signature, regular
 * and computed, through `categorizeText` and each `evaluate`), log-header detection and the
 * de-duplication of an AWS Health event's resources. Each is fed one long adversarial line and
 * must grow linearly (./growth.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redact } from '../../functions/core/stages/compose/redact.js';
import { maskMessage, TemplateMiner, detectHeader } from '../../functions/core/stages/analyze/templates/index.js';
import { parseEvidenceText } from '../../functions/core/stages/collect/formats/index.js';
import { COMPUTED_SIGNATURES, categorizeText } from '../../functions/core/stages/analyze/signatures/index.js';
import { normalizeEvent } from '../../functions/core/stages/normalize/index.js';
import { growth, repeatTo, withTail } from './growth.js';

/** Units that made the known failures: JWT starts, hex, base64, key=value, quotes, digits, spaces. */
const UNITS = ['eyJ-', 'f0e1', 'aB3+/', 'a=', '"', '0', 'Token: ', '-----BEGIN '];

/**
 * Functions allocate (tokens, parts), so garbage collection adds noise: steps may grow 3× their
 * size ratio (a quadratic step grows 10-25×) with 20 ms of slack.
 */
const OPTIONS = { ladder: [16_000, 50_000, 200_000, 1_000_000], stepFactor: 3, stepSlackMs: 20, abortMs: 5000 } as const;

/** Each function with the units it is fed (the slow template miner gets the ones that broke it). */
const FUNCTIONS: Record<string, readonly [(line: string) => unknown, readonly string[]]> = {
  redact: [(s) => redact(s), UNITS],
  maskMessage: [(s) => maskMessage(s), UNITS],
  'TemplateMiner.add': [(s) => new TemplateMiner().add(s), ['f0e1', 'eyJ-', '0']],
  detectHeader: [(s) => detectHeader(s), UNITS],
  parseEvidenceText: [(s) => parseEvidenceText(`x ${s}`, 'app.log'), ['f0e1', 'eyJ-', 'a=', '"', ' ', '-----BEGIN ']],
  categorizeText: [(s) => categorizeText(s), UNITS],
  'COMPUTED_SIGNATURES.evaluate': [(s) => COMPUTED_SIGNATURES.map((c) => c.evaluate({ kind: 'log', text: s, source: 'app.log' } as never)), UNITS],
};

describe('functions over input lines grow linearly', () => {
  for (const [name, [fn, units]] of Object.entries(FUNCTIONS)) {
    it(name, () => {
      const failures: string[] = [];
      for (const unit of units) {
        for (const make of [repeatTo, withTail]) {
          const g = growth(fn, (size) => make(unit, size), OPTIONS);
          if (!g.ok) failures.push(`${JSON.stringify(unit)}${make === withTail ? ' + tail' : ''}: ${g.note}`);
        }
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }

  it('de-duplicates the resources of an AWS Health event in linear time', () => {
    const base = JSON.parse(readFileSync(new URL('../core/stages/normalize/fixtures/health-issue.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const event = (n: number): string => JSON.stringify({ ...base, resources: Array.from({ length: n }, (_, i) => `arn:aws:lambda:us-east-1:210987654321:function:f${i}`) });
    // Sizes in characters of the event: about 55 per resource.
    const g = growth((s) => normalizeEvent(JSON.parse(s), { input: 'event' }), (size) => event(Math.round(size / 55)), OPTIONS);
    expect(g.ok, g.note).toBe(true);
  }, 300_000);
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText } from '../../../functions/core/stages/collect/formats/index.js';
import { mergeContexts } from '../../../functions/core/stages/collect/index.js';
import { matchSignatures, minePatterns } from '../../../functions/core/stages/analyze/index.js';
import type { SignatureMatch } from '../../../functions/core/model/analysis.js';
import { loadCases } from '../../../eval/incidents.js';
import { splitOf } from '../../../eval/incidents-split.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** Per signature and category, its strongest weight on the input's own lines. */
function findings(matches: readonly SignatureMatch[], source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of matches) {
    if (m.evidence.source !== source) continue;
    const key = `${m.signatureId} ${m.category}`;
    out[key] = Math.max(out[key] ?? 0, m.weight);
  }
  return out;
}

describe('signatures matched per template (large inputs) and per line', () => {
  it('find the same signatures, categories and weights on the dev incidents and the example', () => {
    // the test split is never read case by case
    const inputs = loadCases().filter((c) => splitOf(c) === 'dev').map((c) => c.input);
    inputs.push(readFileSync(path.join(REPO, 'examples/checkout-oom/app.log'), 'utf8'));
    let compared = 0;
    for (const input of inputs) {
      const context = mergeContexts({}, [parseEvidenceText(input, 'x.txt')]);
      if (context.logs.length === 0) continue;
      const patterns = minePatterns(context.logs, context.baselineLogs, {}, { maxPatterns: Number.POSITIVE_INFINITY });
      // every log line, against only the samples each template keeps (what inputs above the limit get)
      const perLine = matchSignatures(context, patterns, [], { fullLogMatchLimit: Number.POSITIVE_INFINITY });
      const perTemplate = matchSignatures(context, patterns, [], { fullLogMatchLimit: 0, edgeLines: 0 });
      expect(findings(perTemplate, 'x.txt')).toEqual(findings(perLine, 'x.txt'));
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

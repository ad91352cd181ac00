/**
 * Precision of the redaction on the real-incident corpus (issue 11, section 5): every
 * `evidence_lines` entry of `eval/incidents/cases/*.json` must survive redaction unchanged, so a
 * diagnosis can quote it. A line that truly holds a secret is listed in SECRET_EVIDENCE with why.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redact } from '../../functions/core/stages/compose/redact.js';

const CASES = fileURLToPath(new URL('../../eval/incidents/cases/', import.meta.url));

/** Evidence lines that do hold a secret (case id -> line), masked on purpose. None so far. */
const SECRET_EVIDENCE: ReadonlyMap<string, string> = new Map();

interface Case { readonly id?: string; readonly input?: string; readonly evidence_lines?: readonly string[] }

describe.skipIf(!existsSync(CASES))('redaction precision on the real-incident corpus', () => {
  it('keeps every evidence line quotable', () => {
    let total = 0;
    const changed: string[] = [];
    for (const file of readdirSync(CASES).filter((f) => f.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(path.join(CASES, file), 'utf8')) as Case;
      for (const line of c.evidence_lines ?? []) {
        total++;
        if (redact(line).text !== line && SECRET_EVIDENCE.get(c.id ?? file) !== line) changed.push(`${file}: ${line}`);
      }
    }
    console.log(`redaction precision: ${total - changed.length}/${total} evidence lines of ${CASES} unchanged`);
    expect(total).toBeGreaterThan(0);
    expect(changed).toEqual([]);
  });
});

if (!existsSync(CASES)) {
  describe('redaction precision on the real-incident corpus', () => {
    it.skip(`skipped: ${CASES} is absent`, () => undefined);
  });
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvidenceText } from '../../../../functions/core/stages/collect/formats/index.js';
import { InvalidInputError } from '../../../../functions/core/model/errors.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '[', ']', '"', ':', ',', '  ', '\t', 'Name:', 'Events:', 'apiVersion: v1', 'kind: Pod', '---', '- ', 'LAST SEEN', 'TYPE', 'REASON',
  'MESSAGE', 'NAME', 'READY', 'STATUS', '0/1', 'CrashLoopBackOff', '2026-11-30T07:00:00Z', '\\', 'items:', '&a', '*a', '"message":', '"events":', 'x', 'é', '\u00a0'];

describe('parseEvidenceText never crashes on junk', () => {
  it('either parses random text with line numbers in range or throws a typed error naming the input', () => {
    const random = rng(20261130);
    for (let round = 0; round < 300; round++) {
      const lineCount = 1 + Math.floor(random() * 30);
      const lines: string[] = [];
      for (let l = 0; l < lineCount; l++) {
        let line = random() < 0.3 ? ' '.repeat(Math.floor(random() * 6)) : '';
        const n = Math.floor(random() * 8);
        for (let p = 0; p < n; p++) line += PIECES[Math.floor(random() * PIECES.length)] + (random() < 0.5 ? ' ' : '');
        lines.push(line);
      }
      const text = lines.join('\n');
      try {
        const ctx = parseEvidenceText(text, `junk-${round}`);
        const all = [...ctx.logs!, ...ctx.kubernetesEvents!];
        for (const item of all) {
          expect(item.line).toBeGreaterThanOrEqual(1);
          expect(item.line).toBeLessThanOrEqual(lineCount);
        }
        for (const o of ctx.kubernetesObjects!) expect(o._line).toBeLessThanOrEqual(lineCount);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).input).toBe(`junk-${round}`);
      }
    }
  });

  it('reads any concatenation of the fixtures without losing a non-blank line of text formats', () => {
    const names = readdirSync(fixtureDir).filter((n) => n.endsWith('.txt') && !n.startsWith('holmes-'));
    const random = rng(7);
    for (let round = 0; round < 40; round++) {
      const picked = Array.from({ length: 3 }, () => names[Math.floor(random() * names.length)]!);
      const text = picked.map((n) => readFileSync(fixtureDir + n, 'utf8')).join('\n');
      const ctx = parseEvidenceText(text, 'mix.txt');
      // every line is accounted for: in a describe block, an event row, an object row, or a log event
      const covered = new Set<number>();
      for (const d of ctx.describes!) d.text.split('\n').forEach((_, k) => covered.add(d.line + k));
      for (const e of [...ctx.logs!, ...ctx.kubernetesEvents!]) covered.add(e.line!);
      for (const o of ctx.kubernetesObjects!) covered.add(o._line!);
      const lines = text.split('\n');
      const headers = /^(NAMESPACE\s+)?(LAST SEEN|LASTSEEN|NAME)\s{2,}/;
      const missing = lines.map((l, k) => [k + 1, l] as const).filter(([n, l]) => l.trim() !== '' && !covered.has(n) && !headers.test(l));
      expect(missing, `${picked.join(' + ')}`).toEqual([]);
    }
  });
});

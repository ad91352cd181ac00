import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPUTED_SIGNATURES, SIGNATURES } from '../../../functions/core/stages/analyze/signatures/index.js';
import { requiredLiterals } from '../../../functions/core/stages/analyze/signatures/literals.js';
import { LiteralPrefilter, SignatureIndex, SignaturePrefilter } from '../../../functions/core/stages/analyze/signatures/prefilter.js';
import { FAILURE_STATES } from '../../../functions/core/stages/analyze/signatures/states.js';
import { loadCases } from '../../../eval/incidents.js';
import { splitOf } from '../../../eval/incidents-split.js';
import type { Signature } from '../../../functions/core/stages/analyze/signatures/types.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** Lines the signatures are known to meet: family probes, dev incident cases, examples, HolmesGPT fixtures. */
function corpusLines(): string[] {
  const lines: string[] = [];
  const families = path.join(REPO, 'eval/families');
  for (const f of readdirSync(families).filter((f) => /^probes.*\.json$/.test(f))) {
    for (const probe of (JSON.parse(readFileSync(path.join(families, f), 'utf8')) as { probes: Array<{ message: string }> }).probes) lines.push(...probe.message.split('\n'));
  }
  // dev cases only: the test split is never read case by case
  for (const c of loadCases().filter((c) => splitOf(c) === 'dev')) lines.push(...c.input.split('\n'));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(?:txt|log|json|ya?ml)$/.test(entry.name)) lines.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  walk(path.join(REPO, 'examples'));
  // shared data, when present: HolmesGPT kubectl fixtures, CloudWatch Logs samples, Loghub 2k logs
  const data = path.join(REPO, '..', 'shared', 'data');
  for (const dir of ['k8s', 'cloudwatch-logs', 'loghub']) walk(path.join(data, dir));
  return lines.filter((l) => l.trim() !== '');
}

describe('required literals of a pattern', () => {
  it('reads literals, alternatives, optional parts and escapes', () => {
    expect(requiredLiterals(/\bOOMKill(?:ed|ing)\b/)).toEqual(['OOMKilled', 'OOMKilling']);
    expect(requiredLiterals(/Back-off restarting failed container|\bCrashLoopBackOff\b/)).toEqual(['Back-off restarting failed container', 'CrashLoopBackOff']);
    expect(requiredLiterals(/exec format error/i)).toEqual(['exec format error']);
    expect(requiredLiterals(/Exit Code/i)).toEqual(['exit code']);
    // an optional letter: both spellings, the shorter one enough
    expect(requiredLiterals(/colou?r map/)?.sort()).toEqual(['color map', 'colour map']);
    expect(requiredLiterals(/java\.net\.ConnectException/)).toEqual(['java.net.ConnectException']);
    // the longest run between classes and quantified atoms
    expect(requiredLiterals(/\d+\/\d+ nodes are available:\s*\S+/)).toEqual([' nodes are available:']);
    // a positive lookahead's words are in the line; a negative one's are not required
    expect(requiredLiterals(/^(?=.*(?:lambda|Runtime\.))(?=.*Cannot find module)/)).toEqual(['Cannot find module']);
    expect(requiredLiterals(/(?<!not )ready/)).toEqual(['ready']);
  });

  it('gives up (the pattern is always run) when nothing is required', () => {
    expect(requiredLiterals(/\d+ms/)).toEqual(['ms']);
    expect(requiredLiterals(/[A-Z]{3,}\d*/)).toBeUndefined();
    // `bar` holds `ba`: one literal is enough
    expect(requiredLiterals(/(?:foo)?bar|baz?/)).toEqual(['ba']);
    expect(requiredLiterals(/a|.*/)).toBeUndefined();
    expect(requiredLiterals(/x*/)).toBeUndefined();
  });
});

describe('the signatures\' pre-filter', () => {
  it('never leaves out a signature that matches a line of the corpora (family probes, dev incidents, examples)', () => {
    const prefilter = new SignaturePrefilter(SIGNATURES);
    const lines = corpusLines();
    expect(lines.length).toBeGreaterThan(2_000);
    let matched = 0;
    const missed: string[] = [];
    for (const line of lines) {
      const admitted = new Set(prefilter.candidates(line));
      for (const signature of SIGNATURES) {
        if (!signature.pattern.test(line)) continue;
        matched++;
        if (!admitted.has(signature)) missed.push(`${signature.id}: ${line.slice(0, 200)}`);
      }
    }
    expect(missed).toEqual([]);
    expect(matched).toBeGreaterThan(500);
  });

  it('never skips a computed signature with a verdict on a corpus line: its `requires` is a necessary condition', () => {
    const guarded = COMPUTED_SIGNATURES.filter((c) => c.requires);
    expect(guarded.length).toBeGreaterThan(0);
    const index = new SignatureIndex(SIGNATURES, COMPUTED_SIGNATURES);
    let verdicts = 0;
    const missed: string[] = [];
    for (const text of corpusLines()) {
      const admitted = index.admit(text);
      for (const c of guarded) {
        for (const kind of ['log', 'describe', 'event'] as const) {
          if (c.evaluate({ kind, text, source: 's' }).length === 0) continue;
          verdicts++;
          if (!c.requires!.test(text) || !admitted.computed.has(c)) missed.push(`${c.id}: ${text.slice(0, 200)}`);
        }
      }
    }
    expect(missed).toEqual([]);
    expect(verdicts).toBeGreaterThan(20);
  });

  it('never leaves out a failure state that matches a line of the corpora', () => {
    const prefilter = new LiteralPrefilter(FAILURE_STATES);
    let matched = 0;
    const missed: string[] = [];
    for (const line of corpusLines()) {
      const admitted = new Set(prefilter.candidates(line));
      for (const state of FAILURE_STATES) {
        if (!state.pattern.test(line)) continue;
        matched++;
        if (!admitted.has(state)) missed.push(`${state.id}: ${line.slice(0, 200)}`);
      }
    }
    expect(missed).toEqual([]);
    expect(matched).toBeGreaterThan(200);
  });

  it('leaves out every signature on a line with none of their words, and admits one by its literal in any case', () => {
    const signatures: Signature[] = [
      { id: 'a', category: 'oom_killed', weight: 0.9, pattern: /\bOOMKilled\b/ },
      { id: 'b', category: 'disk_full', weight: 0.8, pattern: /no space left on device/i },
      { id: 'c', category: 'app_crash', weight: 0.5, pattern: /[A-Z]\d+/ },
    ];
    const prefilter = new SignaturePrefilter(signatures);
    expect(prefilter.candidates('GET /health 200 3ms').map((s) => s.id)).toEqual(['c']);
    expect(prefilter.candidates('write failed: No Space Left On Device').map((s) => s.id)).toEqual(['b', 'c']);
    expect(prefilter.candidates('Reason: OOMKilled; no space left on device').map((s) => s.id)).toEqual(['a', 'b', 'c']);
    // overlapping literals are all found
    const overlap = new SignaturePrefilter([
      { id: 'x', category: 'app_crash', weight: 0.5, pattern: /abcd/ },
      { id: 'y', category: 'app_crash', weight: 0.5, pattern: /bc/ },
      { id: 'z', category: 'app_crash', weight: 0.5, pattern: /cde/ },
    ]);
    expect(overlap.candidates('xxabcdexx').map((s) => s.id)).toEqual(['x', 'y', 'z']);
  });

  it('is exact for every catalogue signature on lines built from its own literals', () => {
    // each literal alone, and inside other words: the prefilter admits, the pattern decides
    const prefilter = new SignaturePrefilter(SIGNATURES);
    for (const signature of SIGNATURES) {
      for (const literal of requiredLiterals(signature.pattern) ?? []) {
        for (const line of [literal, `x ${literal.toUpperCase()} y`]) {
          expect(prefilter.candidates(line)).toContain(signature);
        }
      }
    }
  });
});

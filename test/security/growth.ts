/**
 * Benchmark-style growth checks for the linear-time suite: time at 1 MB must stay within 20×
 * the time at 50 KB (linear growth is 20×; quadratic is 400×; see MAX_RATIO for the margin),
 * measured after a warm-up as the lower median of a few runs. Not a wall-clock timeout: a slow machine slows both sizes alike.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseSync } from '@swc/core';

export const SMALL = 50_000;
export const LARGE = 1_000_000;
/**
 * The allowed ratio time(LARGE) / time(SMALL): the ratio of the sizes (20×), with a 50 % margin
 * for cache effects: linear patterns measure 17-30× here, a quadratic one 400×.
 */
export const MAX_RATIO = 1.5 * (LARGE / SMALL);
/**
 * Noise allowed on top of the ratio at 1 MB, ms. On a loaded 2-core machine a memory-bound scan
 * of 1 MB varies between 2 and 15 ms whatever the pattern; a super-linear one takes seconds.
 * 20 ms at 1 MB is 20 ns per character: a 5 MB line in 0.1 s.
 */
export const SLACK_MS = 20;
/** Noise allowed on each smaller step of the ladder, ms. */
export const STEP_SLACK_MS = 4;

/** Adversarial units repeated into long lines: tokens, separators, hex, base64, `=`, `:`, `%`, quotes. */
export const GENERIC_UNITS: readonly string[] = [
  'a', 'aA1', ' ', 'a ', '\t', '0', '1 ', 'f0e1', 'deadbeef-', '0.', 'ab+/', 'aB3_-', '=', 'a=', 'a=b ', ':', 'a:', 'a: ',
  '%', '%2', '%zz', '"', "'", '"a":', '\\', '\\"', '-', 'a-', '.', 'a.', '_', 'a_', '/', 'a/', ',', ';', '<', '>', '[', '{', '(',
  '\n', 'a\n', '\r\n', '@', 'a@', '*',
];

/** A string of about `size` characters made of `unit` repeated. */
export function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length))).slice(0, size);
}

/** Literal words of a pattern's source (escapes removed), longest first: they make derived units. */
export function literalWords(source: string, max = 4): string[] {
  const words = source
    .replace(/\\[pPu]\{[^}]*\}|\\[dDsSwWbBnrtfv0]|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\c[A-Za-z]/g, ' ')
    .replace(/\[[^\]]*\]|\{\d+(?:,\d*)?\}|\(\?<?[=!:]|\(\?<[A-Za-z]+>/g, ' ')
    .replace(/\\(.)/g, '$1')
    .match(/[A-Za-z0-9_][A-Za-z0-9_ :=.\-/]{1,30}/g) ?? [];
  return [...new Set(words.map((w) => w.trimEnd()).filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length).slice(0, max);
}

/** Units for one pattern: the generic ones plus its own words followed by separators. */
export function unitsFor(source: string): string[] {
  const derived = literalWords(source).flatMap((w) => [w, `${w} `, `${w}-`, `${w}=`, `${w}:`]);
  return [...GENERIC_UNITS, ...derived];
}

/**
 * Searches `text` for `re` once: the engine tries every start position until one matches, which
 * is where backtracking costs show (a pattern that fails slowly at many positions). Every match
 * of a dense pattern would instead measure the harness's own per-match garbage. Callers compile
 * the pattern without `g`/`y`.
 */
export function scanAll(re: RegExp, text: string): boolean {
  return re.test(text);
}

/** A unit repeated, then a character no pattern expects, so that an anchored match must fail. */
export function withTail(unit: string, size: number): string {
  return `${repeatTo(unit, size - 1)}\u0007`;
}

/** Milliseconds of one call. */
export function timeOnce(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/**
 * Typical time of `fn(input)`, ms: after a warm-up, calls are repeated until a sample lasts
 * ≥ 0.3 ms, and the lower median of `runs` samples is taken (on a shared machine the upper
 * samples are mostly preemption by other processes).
 */
export function timeTypical(fn: (input: string) => unknown, input: string, runs: number): number {
  // A call over 20 ms is warm enough to be a sample itself.
  const first = timeOnce(() => fn(input));
  if (first > 20) {
    const samples = [first];
    for (let r = 1; r < runs; r++) samples.push(timeOnce(() => fn(input)));
    samples.sort((a, b) => a - b);
    return samples[Math.floor((samples.length - 1) / 2)]!;
  }
  let reps = 1;
  while (reps < 64 && timeOnce(() => { for (let i = 0; i < reps; i++) fn(input); }) < 0.3) reps *= 4;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) samples.push(timeOnce(() => { for (let i = 0; i < reps; i++) fn(input); }) / reps);
  samples.sort((a, b) => a - b);
  return samples[Math.floor((samples.length - 1) / 2)]!;
}

export interface Growth {
  readonly ok: boolean;
  readonly note: string;
}

/** Sizes of the ladder: each step must grow at most twice its size ratio before the next runs. */
const LADDER = [4_000, 16_000, SMALL, 200_000, LARGE] as const;

/**
 * The growth check. The sizes are climbed as a ladder (4 KB, 16 KB, 50 KB, 200 KB, 1 MB): a step
 * that grows more than twice its size ratio (a quadratic step grows by the square), or lasts
 * over a second, fails at once, so a quadratic pattern is caught in milliseconds instead of
 * running for minutes at 1 MB. At the top, time at 1 MB must stay within {@link MAX_RATIO} × the
 * time at 50 KB (+ slack) — or, where the 50 KB run still fit the processor's cache and the larger
 * ones do not (a one-off step of 10-25× between 50 and 200 KB seen here, then linear again),
 * within 2 × 5 × the 200 KB time: linear from 200 KB to 1 MB.
 */
export interface GrowthOptions {
  /** Sizes climbed, ending with 1 MB; default 4 KB, 16 KB, 50 KB, 200 KB, 1 MB. */
  readonly ladder?: readonly number[];
  /** How many times its size ratio a step may grow; default 2. */
  readonly stepFactor?: number;
  /** Noise allowed per step, ms; default {@link STEP_SLACK_MS}. */
  readonly stepSlackMs?: number;
  /** A step over this many ms fails at once; default 1000. */
  readonly abortMs?: number;
}

export function growth(fn: (input: string) => unknown, make: (size: number) => string, options: GrowthOptions = {}): Growth {
  // A failure is measured again (twice): on a shared machine a burst of load or a garbage
  // collection can spoil one ladder, while super-linear growth shows every time.
  let result = climb(fn, make, options);
  for (let again = 0; again < 2 && !result.ok; again++) result = climb(fn, make, options);
  return result;
}

function climb(fn: (input: string) => unknown, make: (size: number) => string, options: GrowthOptions): Growth {
  const ladder = options.ladder ?? LADDER;
  const factor = options.stepFactor ?? 2;
  const times: number[] = [];
  for (const [i, size] of ladder.entries()) {
    const t = timeTypical(fn, make(size), 3);
    times.push(t);
    if (i > 0) {
      const prev = times[i - 1]!;
      const ratio = size / ladder[i - 1]!;
      const allowed = factor * ratio * prev + (size === LARGE ? SLACK_MS : (options.stepSlackMs ?? STEP_SLACK_MS));
      // The step into 200 KB may leave the cache: it is judged with the top (below).
      if ((t > allowed && size !== 200_000) || t > (options.abortMs ?? 1000)) {
        return { ok: false, note: `${size / 1000} KB took ${t.toFixed(1)} ms, ${(t / prev).toFixed(1)}× the ${ladder[i - 1]! / 1000} KB time (linear: ${ratio.toFixed(1)}×)` };
      }
    }
  }
  const small = times[ladder.indexOf(SMALL)]!;
  const mid = times[ladder.indexOf(200_000)]!;
  const large = times[times.length - 1]!;
  const ok = large <= MAX_RATIO * small + SLACK_MS || (large <= factor * 5 * mid + SLACK_MS && mid <= factor * 4 * small * 4 + STEP_SLACK_MS);
  return { ok, note: `1 MB ${large.toFixed(2)} ms, 200 KB ${mid.toFixed(2)} ms, 50 KB ${small.toFixed(3)} ms: ${(large / small).toFixed(1)}× and ${(large / mid).toFixed(1)}×` };
}

/** A regular expression written in the product's source. */
export interface SourcePattern {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

interface Node { readonly type?: string; readonly [k: string]: unknown }

/** Every regular-expression literal (and `new RegExp('literal')`) in `files`, with its file and offset. */
export function patternsInSource(files: readonly string[]): SourcePattern[] {
  const out: SourcePattern[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const ast = parseSync(text, { syntax: 'typescript', target: 'es2022' });
    const base = (ast as unknown as { span: { start: number } }).span.start;
    const lineOf = (offset: number): number => text.slice(0, Math.max(0, offset - base)).split('\n').length;
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) { for (const x of n) walk(x); return; }
      const node = n as Node & { span?: { start: number } };
      if (node.type === 'RegExpLiteral') {
        out.push({ where: `${file}:${lineOf(node.span?.start ?? 0)}`, source: node.pattern as string, flags: node.flags as string });
      } else if (node.type === 'NewExpression' && (node.callee as Node)?.type === 'Identifier' && (node.callee as Node & { value: string }).value === 'RegExp') {
        const args = node.arguments as Array<{ expression: Node & { value?: string } }> | undefined;
        const first = args?.[0]?.expression;
        const second = args?.[1]?.expression;
        if (first?.type === 'StringLiteral') out.push({ where: `${file}:${lineOf(node.span?.start ?? 0)}`, source: first.value!, flags: second?.type === 'StringLiteral' ? second.value! : '' });
      }
      for (const [k, v] of Object.entries(node)) if (k !== 'span' && v && typeof v === 'object') walk(v);
    };
    walk(ast);
  }
  return out;
}

/** Every RegExp reachable from `value` (objects, arrays, maps, sets), depth first. */
export function patternsInValue(value: unknown, where: string, out: SourcePattern[] = [], seen = new Set<unknown>(), depth = 0): SourcePattern[] {
  if (value === null || typeof value !== 'object' || seen.has(value) || depth > 8) return out;
  seen.add(value);
  if (value instanceof RegExp) {
    out.push({ where, source: value.source, flags: value.flags });
    return out;
  }
  const entries: Array<[string, unknown]> = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v])
    : value instanceof Set ? [...value].map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) patternsInValue(v, `${where}.${k}`, out, seen, depth + 1);
  return out;
}

/**
 * Large incident logs for the scale benchmarks: the example incident's `app.log` (checkout-oom)
 * with `n` healthy background lines woven in by timestamp. Background lines are the example's own
 * INFO/DEBUG lines and the Loghub-2k message contents (16 systems, when `<data>/loghub` exists)
 * behind the same header, each digit run rewritten (seeded pseudo-random), so numbers, ids and
 * addresses keep changing as in a live stream. The same `n` and seed give the same file.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEMS, parseCsv } from '../../eval/templates.js';

/** xorshift32, seeded: the same lines every run. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Rewrites each digit run with other digits (lengths vary by one now and then). */
export function perturb(line: string, random: () => number): string {
  return line.replace(/\d+/g, (m) => {
    const len = Math.max(1, m.length + (random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0));
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(48 + Math.floor(random() * 10));
    return s;
  });
}

/** Loghub message contents, interleaved across systems; empty without the data. */
export function loghubContents(dataDir: string): string[] {
  const loghub = existsSync(join(dataDir, 'loghub')) ? join(dataDir, 'loghub') : dataDir;
  const perSystem: string[][] = [];
  for (const s of SYSTEMS) {
    const f = join(loghub, s, `${s}_2k.log_structured_corrected.csv`);
    if (!existsSync(f)) continue;
    const rows = parseCsv(readFileSync(f, 'utf8'));
    const ci = rows[0]!.indexOf('Content');
    perSystem.push(rows.slice(1).filter((r) => r.length === rows[0]!.length).map((r) => r[ci]!));
  }
  const out: string[] = [];
  const max = Math.max(0, ...perSystem.map((p) => p.length));
  for (let i = 0; i < max; i++) for (const p of perSystem) if (i < p.length) out.push(p[i]!);
  return out;
}

const HEADER = /^(\S+Z) (\w+)\s+(\[[^\]]*\]) (\S+) - (.*)$/;

/**
 * Writes the example's app.log with `n` background lines woven in (total `n` + the example's
 * lines) to `file`. Background lines take timestamps spread evenly over the example's span.
 * @returns the number of lines written
 */
export async function writeScaleLog(file: string, n: number, options: { exampleLog: string; dataDir?: string; seed?: number }): Promise<number> {
  const example = readFileSync(options.exampleLog, 'utf8').split('\n').filter((l) => l.length > 0);
  const healthy = example.filter((l) => / (?:INFO|DEBUG) /.test(l)).map((l) => HEADER.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const contents = options.dataDir ? loghubContents(options.dataDir) : [];
  const random = rng(options.seed ?? 42);
  const t0 = Date.parse(example[0]!.slice(0, 24));
  const t1 = Date.parse(example[example.length - 1]!.slice(0, 24));
  const out = createWriteStream(file);
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
    buffer = '';
  };
  let next = 0;
  let written = 0;
  for (let i = 0; i < n; i++) {
    const t = t0 + Math.floor(((t1 - t0) * i) / n);
    while (next < example.length && Date.parse(example[next]!.slice(0, 24)) <= t) {
      buffer += `${example[next++]}\n`;
      written++;
    }
    const ts = new Date(t).toISOString();
    // two thirds Loghub contents (many templates), one third the service's own healthy lines
    if (contents.length > 0 && i % 3 !== 2) {
      const c = contents[Math.floor(random() * contents.length)]!;
      buffer += `${ts} INFO  [worker-${i % 7}] c.s.platform.Agent - ${perturb(c, random)}\n`;
    } else {
      const h = healthy[Math.floor(random() * healthy.length)]!;
      buffer += `${ts} ${h[2]!.padEnd(5)} ${h[3]} ${h[4]} - ${perturb(h[5]!, random)}\n`;
    }
    written++;
    if (buffer.length > 1 << 20) await flush();
  }
  while (next < example.length) {
    buffer += `${example[next++]}\n`;
    written++;
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}

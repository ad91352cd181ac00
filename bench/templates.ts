/**
 * Throughput and memory of the template miner.
 *
 *   npm run bench:templates -- [--data DIR] [--sizes 10000,100000,1000000]
 *
 * Lines are the message contents (`Content` column) of the 16 Loghub-2k systems under
 * `DIR/loghub` (default `../shared/data` relative to the repo root), interleaved, then repeated with
 * each digit run rewritten with other digits (seeded pseudo-random, lengths varying), so numbers,
 * ids and addresses keep changing as in a live stream. 200,000 such perturbed lines are built
 * before timing and cycled up to the size.
 * Each size runs in its own child process, so peak RSS and heap are that run's own: one
 * TemplateMiner, `add()` for every line. Peak memory is sampled every 10,000 lines.
 * Drain3 (Python, default settings) ran about 46,000 lines/s on these contents on this machine (the
 * "vs Drain3" column; measured side by side it falls with the size: 37,000 lines per CPU second over
 * 100,000 lines, 8,600 over 1,000,000, as its clusters grow without masking).
 *
 * Side by side with Drain3 (`DRAIN3=<dir>`: a checkout of logpai/Drain3 outside this repository,
 * with `jsonpickle` and `cachetools` installed for python3): for each of `--drain3-lines` (default
 * 100,000 and 1,000,000; the 1M run takes Drain3 about two minutes of CPU here) the first lines of
 * the same lines are written to a file; Drain3's inner loop (`add_log_message` per line,
 * default settings, contents only, timed in Python around the loop) runs on it, then
 * `ops-assistant templates FILE` end to end (a new process: start-up, reading, mining, writing
 * the jsonl to /dev/null), then the miner in process on the same lines; the ratios are printed
 * beside the goals (end to end >= 4x, in process >= 8x, on CPU time). Without DRAIN3 the side-by-side
 * run says it skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TemplateMiner } from '../functions/core/stages/analyze/templates/index.js';
import { SYSTEMS, parseCsv } from '../eval/templates.js';

const DRAIN3_LINES_PER_SECOND = 46_000;

function loadContents(loghub: string): string[] {
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

/** xorshift32, seeded: the same lines every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function perturb(line: string, random: () => number): string {
  return line.replace(/\d+/g, (m) => {
    const len = Math.max(1, m.length + (random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0));
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(48 + Math.floor(random() * 10));
    return s;
  });
}

function fullGc(): void {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
}

interface RunResult {
  lines: number;
  templates: number;
  seconds: number;
  cpuSeconds: number;
  linesPerSecond: number;
  linesPerCpuSecond: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  baseRssBytes: number;
  baseHeapBytes: number;
  /** Heap freed when the miner is dropped after the run (full GCs before and after): the miner's own memory. */
  retainedHeapBytes: number;
  /** Size of the miner's saved state (toJSON) as JSON text. */
  stateBytes: number;
}

/** The benchmark's lines: the contents, then perturbed repetitions (see the module comment). */
function benchLines(loghub: string, size: number): string[] {
  const contents = loadContents(loghub);
  const random = rng(42);
  const POOL = 200_000;
  const pool: string[] = [];
  for (let i = 0; i < Math.min(size, contents.length + POOL); i++) {
    const base = contents[i % contents.length]!;
    pool.push(i < contents.length ? base : perturb(base, random));
  }
  const out: string[] = [];
  const poolStart = Math.min(contents.length, pool.length);
  for (let i = 0; i < size; i++) out.push(i < pool.length ? pool[i]! : pool[poolStart + ((i - pool.length) % (pool.length - poolStart))]!);
  return out;
}

function runOne(loghub: string, size: number): RunResult {
  let contents = loadContents(loghub);
  const random = rng(42);
  // Build the input first, so the measured time is the miner's only: the contents, then a pool of
  // up to POOL perturbed repetitions, cycled (holding 10^6 strings would make the benchmark measure
  // the garbage collector walking its own input).
  const POOL = 200_000;
  const lines: string[] = [];
  for (let i = 0; i < Math.min(size, contents.length + POOL); i++) {
    const base = contents[i % contents.length]!;
    lines.push(i < contents.length ? base : perturb(base, random));
  }
  const poolStart = Math.min(contents.length, lines.length);
  const poolSize = lines.length - poolStart;
  contents = [];
  fullGc();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  let miner: TemplateMiner | undefined = new TemplateMiner();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < size; i++) {
    miner!.add(i < lines.length ? lines[i]! : lines[poolStart + ((i - lines.length) % poolSize)]!);
    if (i % 10_000 === 9_999) {
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  const stateBytes = JSON.stringify(miner.toJSON()).length;
  const templates = miner.templates().length;
  fullGc();
  const withMiner = process.memoryUsage().heapUsed;
  miner = undefined;
  fullGc();
  const retainedHeapBytes = withMiner - process.memoryUsage().heapUsed;
  return {
    lines: size,
    templates,
    seconds,
    cpuSeconds,
    linesPerSecond: size / seconds,
    linesPerCpuSecond: size / cpuSeconds,
    peakRssBytes: peakRss,
    peakHeapBytes: peakHeap,
    baseRssBytes: base.rss,
    baseHeapBytes: base.heapUsed,
    retainedHeapBytes,
    stateBytes,
  };
}


interface Timed {
  seconds: number;
  cpuSeconds?: number;
}

/** Runs a command with stdout to /dev/null; CPU time of the child from python's RUSAGE_CHILDREN when python3 runs. */
function timeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const probe = String.raw`import resource,subprocess,sys,time,json
t=time.perf_counter(); r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE); s=time.perf_counter()-t
u=resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc":r.returncode,"seconds":s,"cpu":u.ru_utime+u.ru_stime,"err":r.stderr.decode()[-2000:]}))`;
  const py = spawnSync('python3', ['-c', probe, ...argv], { encoding: 'utf8', env });
  if (py.status === 0) {
    const r = JSON.parse(py.stdout) as { rc: number; seconds: number; cpu: number; err: string };
    if (r.rc !== 0) throw new Error(`${argv.join(' ')} failed: ${r.err}`);
    return { seconds: r.seconds, cpuSeconds: r.cpu };
  }
  const t = performance.now();
  const run = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  if (run.status !== 0) throw new Error(`${argv.join(' ')} failed: ${run.stderr}`);
  return { seconds: (performance.now() - t) / 1000 };
}

function sideBySide(repo: string, loghub: string, data: string, lines: number): void {
  const drain3 = process.env['DRAIN3'];
  console.log(`\nside by side with Drain3 (${lines.toLocaleString('en-US')} lines; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  if (!drain3) {
    console.log('  skipped: set DRAIN3=<dir> to a checkout of logpai/Drain3 outside the repository (python3 with jsonpickle and cachetools)');
    return;
  }
  if (!existsSync(join(drain3, 'drain3', 'template_miner.py'))) {
    console.log(`  skipped: ${drain3} holds no drain3/template_miner.py`);
    return;
  }
  if (!relative(repo, resolve(drain3)).startsWith('..')) {
    console.log(`  skipped: ${drain3} is inside the repository; keep the Drain3 copy outside it`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-drain3-'));
  try {
    const file = join(dir, 'contents.log');
    writeFileSync(file, `${benchLines(loghub, lines).join('\n')}\n`);
    const py = spawnSync('python3', [join(repo, 'bench/lib/drain3_inner_loop.py'), file], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: resolve(drain3) }, maxBuffer: 1 << 20,
    });
    if (py.status !== 0) {
      console.log(`  skipped: Drain3 did not run (${(py.stderr || py.error?.message || '').trim().split('\n').pop()}); pip install jsonpickle cachetools`);
      return;
    }
    const d = JSON.parse(py.stdout) as { lines: number; clusters: number; seconds: number; cpu_seconds: number };
    const e2e = timeCommand([process.execPath, join(repo, 'bin/ops-assistant.js'), 'templates', file]);
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--data', data, '--child', String(lines)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(child.stderr);
    const m = JSON.parse(child.stdout) as RunResult;
    const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')} lines/s`;
    console.log(`  Drain3 inner loop (python3, default settings): ${d.seconds.toFixed(2)} s wall, ${d.cpu_seconds.toFixed(2)} s CPU, ${rate(d.lines, d.cpu_seconds)} of CPU, ${d.clusters} clusters`);
    const e2eCpu = e2e.cpuSeconds;
    console.log(`  ops-assistant templates FILE > /dev/null (new process, end to end): ${e2e.seconds.toFixed(2)} s wall${e2eCpu !== undefined ? `, ${e2eCpu.toFixed(2)} s CPU` : ''}`);
    console.log(`  miner in process: ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ${m.templates} templates`);
    const ratio = (ours: number, goal: number, what: string, basis: string): void => {
      const x = (basis === 'CPU' ? d.cpu_seconds : d.seconds) / ours;
      console.log(`  ${what}: ${x.toFixed(1)}x Drain3 (${basis} time)   goal >= ${goal}x: ${x >= goal ? 'met' : 'NOT met'}`);
    };
    if (e2eCpu !== undefined) ratio(e2eCpu, 4, 'templates end to end', 'CPU');
    ratio(e2e.seconds, 4, 'templates end to end', 'wall');
    ratio(m.cpuSeconds, 8, 'miner in process', 'CPU');
    ratio(m.seconds, 8, 'miner in process', 'wall');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

function main(): void {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(repo, '..', 'shared', 'data') },
      sizes: { type: 'string', default: '10000,100000,1000000' },
      'drain3-lines': { type: 'string', default: '100000,1000000' },
      child: { type: 'string' },
    },
  });
  const loghub = existsSync(join(values.data!, 'loghub')) ? join(values.data!, 'loghub') : values.data!;
  if (!existsSync(join(loghub, 'HDFS'))) {
    console.log(`bench:templates skipped: no Loghub data at ${loghub} (pass --data DIR)`);
    return;
  }
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(runOne(loghub, Number(values.child))));
    return;
  }
  const sizes = values.sizes!.split(',').map(Number);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${process.platform}, node ${process.version})`);
  console.log('template miner throughput (one TemplateMiner, add() per line; input lines held in memory before timing)');
  console.log('peak RSS/heap: whole process incl. the input lines; peak-input: peak heap minus heap before mining; miner heap: heap the miner holds after the run (freed when it is dropped); state: toJSON size');
  console.log('lines/s is wall clock; lines/cpu-s divides by the process CPU time (user+system, includes GC), which other load on the machine does not inflate');
  console.log(`${'lines'.padStart(9)} ${'templates'.padStart(9)} ${'seconds'.padStart(8)} ${'lines/s'.padStart(10)} ${'lines/cpu-s'.padStart(11)} ${'cpu µs/ln'.padStart(9)} ${'vs Drain3'.padStart(9)} ${'peak RSS'.padStart(9)} ${'peak heap'.padStart(9)} ${'peak-input'.padStart(10)} ${'miner heap'.padStart(10)} ${'state'.padStart(8)}`);
  const results: RunResult[] = [];
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--data', values.data!, '--child', String(size)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.error(child.stderr);
      process.exitCode = 1;
      return;
    }
    const r = JSON.parse(child.stdout) as RunResult;
    results.push(r);
    console.log(
      `${String(r.lines).padStart(9)} ${String(r.templates).padStart(9)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.linesPerSecond).toLocaleString('en-US').padStart(10)} ${Math.round(r.linesPerCpuSecond).toLocaleString('en-US').padStart(11)} ${((r.cpuSeconds * 1e6) / r.lines).toFixed(2).padStart(9)} ${`${(r.linesPerSecond / DRAIN3_LINES_PER_SECOND).toFixed(1)}x`.padStart(9)} ${mb(r.peakRssBytes).padStart(9)} ${mb(r.peakHeapBytes).padStart(9)} ${mb(r.peakHeapBytes - r.baseHeapBytes).padStart(10)} ${mb(r.retainedHeapBytes).padStart(10)} ${`${(r.stateBytes / 1024).toFixed(0)} KB`.padStart(8)}`,
    );
  }
  if (results.length >= 2) {
    const a = results[0]!;
    const b = results[results.length - 1]!;
    const exponent = Math.log(b.cpuSeconds / a.cpuSeconds) / Math.log(b.lines / a.lines);
    console.log(
      `cost growth ${a.lines} -> ${b.lines} lines: CPU time ~ n^${exponent.toFixed(2)} (1.00 = linear; below 1: the first lines, which create the templates, cost more than the rest)`,
    );
    for (let i = 1; i < results.length; i++) {
      const p = results[i - 1]!;
      const q = results[i]!;
      console.log(
        `  marginal CPU cost of lines ${p.lines + 1}..${q.lines}: ${(((q.cpuSeconds - p.cpuSeconds) * 1e6) / (q.lines - p.lines)).toFixed(2)} µs/line; templates ${p.templates} -> ${q.templates}`,
      );
    }
  }
  for (const lines of values['drain3-lines']!.split(',').map(Number)) sideBySide(repo, loghub, values.data!, lines);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

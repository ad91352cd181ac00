/**
 * Diagnosis at scale, and what one diagnosis costs.
 *
 *   npm run bench -- diagnose      (or: tsx bench/diagnose.ts [--sizes 10000,100000,1000000] [--runs 3] [--data DIR] [--from auto|dist|source])
 *
 * Input: the example incident (`examples/checkout-oom`: alarm, `kubectl describe pod`, events)
 * with its `app.log` grown to each size by healthy background lines woven in by timestamp
 * (`bench/lib/scale-log.ts`: the service's own INFO/DEBUG lines and Loghub-2k contents, digits
 * rewritten). Each size runs in its own child process, so peak RSS is that run's own: the child
 * loads the modules, diagnoses the small example once (model, runbook index: "warm"), then times
 * `diagnoseLocal` on the large log `--runs` times (once at 1,000,000 lines), nothing written.
 * Reported per size: median wall and CPU time (process.cpuUsage: user+system of every thread,
 * ONNX included), the goal beside it, peak RSS of the child (the model and runbook index
 * included) and the marginal CPU cost per line between sizes (linear cost: it stays flat).
 *
 * Code measured (`--from`, default `auto`): the compiled `dist/` under plain node when it is current
 * (built by `npm run build` after the last source change, as `bin/ops-assistant.js` decides), else
 * the TypeScript sources through tsx, which the table's header says. tsx transforms every module it
 * loads (the model runtime's large bundle too): 130–160 MB more peak RSS and a slower import, which
 * the installed CLI and the Lambda bundle do not pay. The child is `bench/lib/diagnose-child.mjs`.
 *
 * Cost per diagnosis at list prices (us-east-1, x86_64, the deployed memory size): Lambda
 * GB-seconds of a warm diagnosis (the example) and of a cold one (module import + first
 * diagnosis, measured in a fresh child), the request charge, CloudWatch Logs Insights bytes scanned
 * for the example (its log events, which the alarm function's query reads over the window) and the
 * S3 PUTs and SNS publish of delivery.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeScaleLog } from './lib/scale-log.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLE = path.join(REPO, 'examples/checkout-oom');
/** The timed child (plain JavaScript: it runs the compiled dist/ without tsx, or the sources with it). */
const CHILD = path.join(REPO, 'bench/lib/diagnose-child.mjs');
/** Goals of issue 16 (warm, in process, this machine): lines of the grown log -> ms. */
const GOALS: Record<number, number> = { 10_000: 150, 100_000: 1000, 1_000_000: 8000 };
const RSS_GOAL_MB = 300;
/** List prices, USD (us-east-1, 2026): Lambda x86_64 per GB-second and per request; Logs Insights per GB scanned; S3 PUT; SNS publish. */
const PRICE = { gbSecond: 0.0000166667, request: 0.2 / 1e6, insightsGb: 0.005, s3Put: 0.005 / 1000, snsPublish: 0.5 / 1e6 };
/** Deployed memory of the alarm function (infra/lib/config.ts default `memoryMb`). */
const LAMBDA_MEMORY_MB = 1536;
/** Objects a delivery writes (diagnosis json, md, html, index entry, id pointer) and messages it publishes. */
const S3_PUTS = 5;
const SNS_PUBLISHES = 1;

interface ChildResult {
  lines: number;
  importMs: number;
  firstMs: number;
  firstCpuMs: number;
  wallMs: number[];
  cpuMs: number[];
  peakRssMb: number;
  top: string;
  warmExampleMs: number;
  warmExampleCpuMs: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** True when dist/ was built after every TypeScript file under functions/ and schemas/ last changed (as `bin/ops-assistant.js` decides). */
function distIsCurrent(): boolean {
  let built: number;
  try {
    built = statSync(path.join(REPO, 'dist/BUILD')).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of ['functions', 'schemas']) {
    for (const entry of readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && statSync(path.join(entry.parentPath, entry.name)).mtimeMs > built) return false;
    }
  }
  return true;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      runs: { type: 'string', default: '3' },
      data: { type: 'string', default: path.join(REPO, '..', 'shared', 'data') },
      from: { type: 'string', default: 'auto' },
    },
  });
  if (!['auto', 'dist', 'source'].includes(values.from!)) throw new Error(`--from must be auto, dist or source (got ${values.from})`);
  const current = distIsCurrent();
  if (values.from === 'dist' && !current) throw new Error('--from dist: dist/ is absent or older than the sources (run `npm run build`)');
  const fromDist = values.from === 'dist' || (values.from === 'auto' && current);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-diagnose-'));
  const results: ChildResult[] = [];
  try {
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 shared cores here: wall figures are noisy, CPU time is the steadier one)`);
    console.log('warm diagnosis in process (example incident, app.log grown to N background lines + the example\'s 1,254; model and runbooks loaded first)');
    console.log(fromDist
      ? 'code: the compiled dist/ under plain node (what the installed CLI runs; `--from source` for the TypeScript through tsx)'
      : `code: the TypeScript sources through tsx (${values.from === 'source' ? 'asked' : 'dist/ is absent or older than the sources: `npm run build` to measure the compiled code'}; tsx adds 130-160 MB to peak RSS)`);
    console.log('goals are judged on CPU time (the figure machine load does not inflate); "met" compares the median CPU ms with the goal');
    console.log(`${'lines'.padStart(9)} ${'wall ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'goal ms'.padStart(8)} ${'met'.padStart(4)} ${'µs/line'.padStart(8)} ${'peak RSS'.padStart(9)} ${'runs'.padStart(4)}  leading hypothesis`);
    for (const size of values.sizes!.split(',').map(Number)) {
      const file = path.join(dir, `app-${size}.log`);
      const lines = await writeScaleLog(file, size, { exampleLog: path.join(EXAMPLE, 'app.log'), dataDir: values.data! });
      const runs = size >= 1_000_000 ? 1 : Number(values.runs);
      const childArgs = ['--module', fromDist ? 'dist' : 'source', '--example', EXAMPLE, '--file', file, '--lines', String(lines), '--runs', String(runs)];
      const run = spawnSync(process.execPath, [...(fromDist ? [] : ['--import', 'tsx']), '--expose-gc', CHILD, ...childArgs], {
        encoding: 'utf8', maxBuffer: 64 << 20,
      });
      rmSync(file, { force: true });
      const at = run.stdout.lastIndexOf('\n@@');
      if (run.status !== 0 || at < 0) {
        console.log(`${String(size).padStart(9)} failed: ${run.stderr.slice(-2000)}`);
        process.exitCode = 1;
        continue;
      }
      const r = JSON.parse(run.stdout.slice(at + 3)) as ChildResult;
      results.push(r);
      const wall = median(r.wallMs);
      const cpu = median(r.cpuMs);
      const goal = GOALS[size];
      console.log(
        `${String(lines).padStart(9)} ${wall.toFixed(0).padStart(9)} ${cpu.toFixed(0).padStart(9)} ${(goal ? String(goal) : '-').padStart(8)} ${(goal ? (cpu <= goal ? 'yes' : 'NO') : '-').padStart(4)} ${((cpu * 1000) / lines).toFixed(2).padStart(8)} ${`${r.peakRssMb.toFixed(0)} MB`.padStart(9)} ${String(r.cpuMs.length).padStart(4)}  ${r.top}`,
      );
    }
    for (let i = 1; i < results.length; i++) {
      const p = results[i - 1]!;
      const q = results[i]!;
      console.log(`  marginal CPU cost of lines ${p.lines + 1}..${q.lines}: ${(((median(q.cpuMs) - median(p.cpuMs)) * 1000) / (q.lines - p.lines)).toFixed(2)} µs/line (linear cost: the same at every size)`);
    }
    const big = results.find((r) => r.lines >= 1_000_000);
    if (big) console.log(`  peak RSS at ${big.lines.toLocaleString('en-US')} lines: ${big.peakRssMb.toFixed(0)} MB (goal <= ${RSS_GOAL_MB} MB: ${big.peakRssMb <= RSS_GOAL_MB ? 'met' : 'NOT met'}; includes the ONNX model and runbook index)`);

    // cost per diagnosis, from the first child (its warm-up runs are the example itself)
    const r = results[0];
    if (r) {
      const gb = LAMBDA_MEMORY_MB / 1024;
      const warmS = r.warmExampleMs / 1000;
      const coldS = (r.importMs + r.firstMs) / 1000;
      const logBytes = statSync(path.join(EXAMPLE, 'app.log')).size + statSync(path.join(EXAMPLE, 'events.txt')).size;
      const insights = (logBytes / 1024 ** 3) * PRICE.insightsGb;
      const fixed = PRICE.request + S3_PUTS * PRICE.s3Put + SNS_PUBLISHES * PRICE.snsPublish;
      const warmUsd = gb * warmS * PRICE.gbSecond + insights + fixed;
      const coldUsd = gb * coldS * PRICE.gbSecond + insights + fixed;
      console.log(`\ncost per diagnosis (example incident; Lambda x86_64 ${LAMBDA_MEMORY_MB} MB, list prices us-east-1)`);
      console.log(`  warm: ${warmS.toFixed(3)} s -> ${(gb * warmS).toFixed(3)} GB-s = $${(gb * warmS * PRICE.gbSecond).toFixed(7)}`);
      console.log(`  cold: import ${(r.importMs / 1000).toFixed(2)} s + first diagnosis ${(r.firstMs / 1000).toFixed(2)} s (model and runbook index load) -> ${(gb * coldS).toFixed(3)} GB-s = $${(gb * coldS * PRICE.gbSecond).toFixed(7)}`);
      console.log(`  Logs Insights: ${(logBytes / 1024).toFixed(0)} KiB scanned (the example's log events over the window) = $${insights.toFixed(9)}`);
      console.log(`  request $${PRICE.request.toFixed(7)} + ${S3_PUTS} S3 PUTs $${(S3_PUTS * PRICE.s3Put).toFixed(7)} + ${SNS_PUBLISHES} SNS publish $${(SNS_PUBLISHES * PRICE.snsPublish).toFixed(7)}`);
      console.log(`  total: warm $${warmUsd.toFixed(6)}, cold $${coldUsd.toFixed(6)} per diagnosis (goal <= $0.0002: ${warmUsd <= 0.0002 && coldUsd <= 0.0002 ? 'met' : warmUsd <= 0.0002 ? 'met warm, NOT cold' : 'NOT met'})`);
      console.log('  (local wall times on this machine stand in for Lambda durations; the init phase is billed like the invocation, for zip functions too since August 2025)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * Cold-start and warm latency of the alarm handler, measured in-process against the local
 * protocol servers of the tests (S3 via s3rver, SNS→SQS via fauxqs, CloudWatch Logs, CloudWatch,
 * EKS, Kubernetes API).
 *
 * The handler is bundled with esbuild first (as a deployment bundles it), then each cold sample
 * runs in a fresh Node process: `import` of the bundle (module init) + the first invocation
 * (clients, runbook index, pipeline, delivery). Warm samples reuse one process: new incidents
 * (full pipeline + delivery) and replays (idempotent short path).
 *
 * Cold samples are taken with and without the prebuilt runbook index (`runbook-index.json`
 * beside the bundle, written by `scripts/build-runbook-index.ts`), alternating, so both modes see
 * the same machine load; each child reports its runtime's own startup breakdown (the alarm
 * handler's `runtime ready` log line: total and runbook-index ms, and where the index came from).
 *
 * Usage: npm run bench:handlers -- [--cold 5] [--warm 20] [--data ../shared/data] [--model]
 *   [--runbook-index both|prebuilt|built]   (cold samples per mode; default both)
 * The sample alarm event is read from `<data>/aws-events/…/01-state-change-for-a-single-metric-alarm.json`
 * when present; otherwise a built-in event of the same shape is used.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

interface ChildResult {
  /** From the handler's `runtime ready` log line. */
  startup?: { startupMs: { total: number; runbooks: number }; runbookIndex: { kind: string; reason?: string } };
  importMs: number;
  firstMs: number;
  firstStatus: string;
  warmNewMs: number[];
  warmReplayMs: number[];
}

function alarmEvent(name: string, time: string): Record<string, unknown> {
  return {
    version: '0', id: `bench-${name}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch', account: '111122223333', time, region: 'us-east-1',
    resources: [`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`],
    detail: {
      alarmName: name,
      configuration: { metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Orders', name: 'OrdersApiErrors', dimensions: { Service: 'orders-api' } }, period: 60, stat: 'Sum' }, returnData: true }] },
      previousState: { value: 'OK', reason: 'ok', timestamp: time },
      state: { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [61.0] was greater than the threshold (10.0).', timestamp: time },
    },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const f = (ms: number) => `${ms.toFixed(0)} ms`;

/**
 * The child: plain Node (no TypeScript loader), so the measured import is the bundle's alone.
 * argv: bundle path, event file, warm count. Prints one JSON line.
 */
const CHILD_SCRIPT = `
const [bundle, eventFile, warmArg] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = (ms = 30000) => { const deadline = Date.now() + ms; return { getRemainingTimeInMillis: () => deadline - Date.now(), functionName: 'bench', awsRequestId: 'bench', invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench' }; };
const alarmEvent = ${alarmEvent.toString()};
const t0 = performance.now();
const mod = await import(bundle);
const t1 = performance.now();
const first = await mod.handler(event, context());
const t2 = performance.now();
const result = { importMs: t1 - t0, firstMs: t2 - t1, firstStatus: first.status + (first.created === false ? ' (replay)' : ''), warmNewMs: [], warmReplayMs: [] };
for (let i = 0; i < Number(warmArg); i++) {
  const e = alarmEvent('bench-warm-' + process.pid + '-' + i, new Date(Date.parse('2026-11-30T06:00:00Z') - i * 3600000).toISOString());
  const a = performance.now(); await mod.handler(e, context()); result.warmNewMs.push(performance.now() - a);
  const b = performance.now(); await mod.handler(e, context()); result.warmReplayMs.push(performance.now() - b);
}
process.stdout.write(JSON.stringify(result) + '\\n');
`;

function runChild(env: NodeJS.ProcessEnv, bundle: string, eventFile: string, warm: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, bundle, eventFile, String(warm)], { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const lines = out.trim().split('\n');
      const line = lines.filter((l) => l.startsWith('{"importMs"')).at(-1);
      const ready = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((j) => j?.message === 'runtime ready');
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${err.slice(-2000)}`));
      else resolve({ ...(JSON.parse(line) as ChildResult), ...(ready ? { startup: { startupMs: ready.startupMs, runbookIndex: ready.runbookIndex } } : {}) });
    });
  });
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--cold <n>', 'cold-start samples (fresh processes)', '5')
    .option('--warm <n>', 'warm invocations (new incident + replay each)', '20')
    .option('--data <dir>', 'shared data folder', path.join(REPO_ROOT, '..', 'shared', 'data'))
    .option('--model', 'set MODEL_DIR=models/ops-encoder (ONNX classifier loaded at cold start)')
    .option('--runbook-index <mode>', 'cold samples with the prebuilt runbook index, without it, or both (alternating)', 'both')
    .allowExcessArguments(false)
    .parse(process.argv);
  const opts = program.opts<{ cold: string; warm: string; data: string; model?: boolean; runbookIndex: string }>();
  if (!['both', 'prebuilt', 'built'].includes(opts.runbookIndex)) throw new Error(`--runbook-index: expected both, prebuilt or built, got ${opts.runbookIndex}`);
  const modes = opts.runbookIndex === 'both' ? ['built', 'prebuilt'] as const : [opts.runbookIndex as 'built' | 'prebuilt'];

  const { build } = await import('esbuild');
  const { startHarness } = await import('../test/handlers/harness.js');
  // Inside the repo so the bundle's external packages resolve from node_modules.
  const cacheDir = path.join(REPO_ROOT, 'node_modules', '.cache');
  (await import('node:fs')).mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(path.join(cacheDir, 'ops-bench-'));
  const harness = await startHarness({
    KNOWLEDGE_BASE_DIR: path.join(REPO_ROOT, 'knowledge-base'),
    ...(opts.model ? { MODEL_DIR: path.join(REPO_ROOT, 'models', 'ops-encoder') } : {}),
  });
  try {
    // Code splitting keeps the ONNX adapter a lazy chunk, loaded only when MODEL_DIR is set.
    await build({
      entryPoints: { alarm: path.join(REPO_ROOT, 'functions/handlers/alarm.ts') }, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
      outdir: tmp, outExtension: { '.js': '.mjs' }, external: ['onnxruntime-node', '@huggingface/transformers'], logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const bundle = path.join(tmp, 'alarm.mjs');
    // The prebuilt index beside the bundle, as a deployment ships it; renamed away for `built` samples.
    const { buildRunbookIndexFile } = await import('../scripts/build-runbook-index.js');
    const indexFile = path.join(tmp, 'runbook-index.json');
    const parked = `${indexFile}.off`;
    await buildRunbookIndexFile(path.join(REPO_ROOT, 'knowledge-base'), parked);
    const fsSync = await import('node:fs');
    const useIndex = (on: boolean) => {
      if (on && fsSync.existsSync(parked)) fsSync.renameSync(parked, indexFile);
      if (!on && fsSync.existsSync(indexFile)) fsSync.renameSync(indexFile, parked);
    };
    const sample = path.join(opts.data, 'aws-events/awsdocs-amazon-cloudwatch-user-guide/extracted/01-state-change-for-a-single-metric-alarm.json');
    const eventFile = existsSync(sample) ? sample : path.join(tmp, 'event.json');
    if (!existsSync(sample)) {
      console.log(`note: ${sample} not found; using a built-in alarm event of the same shape`);
      (await import('node:fs')).writeFileSync(eventFile, JSON.stringify(alarmEvent('ServerCpuTooHigh', '2019-10-02T17:04:40Z')));
    }
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' };
    const coldBy: Record<string, ChildResult[]> = { built: [], prebuilt: [] };
    const fs = await import('node:fs');
    for (let i = 0; i < Number(opts.cold); i++) {
      for (const mode of modes) {
        // A distinct alarm per cold sample, so each first invocation runs the whole pipeline.
        const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
        event.detail.alarmName = `${event.detail.alarmName}-cold-${mode}-${i}-${Date.now()}`;
        event.resources = [`${event.resources[0]}-cold-${mode}-${i}-${Date.now()}`];
        const coldFile = path.join(tmp, `cold-${mode}-${i}.json`);
        fs.writeFileSync(coldFile, JSON.stringify(event));
        useIndex(mode === 'prebuilt');
        const result = await runChild(env, bundle, coldFile, 0);
        if (result.startup && result.startup.runbookIndex.kind !== mode) throw new Error(`a ${mode} sample got a ${result.startup.runbookIndex.kind} index: ${result.startup.runbookIndex.reason ?? ''}`);
        coldBy[mode]!.push(result);
      }
    }
    useIndex(modes.includes('prebuilt'));
    const warm = await runChild({ ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' }, bundle, eventFile, Number(opts.warm));
    await harness.drain();
    console.log(`alarm handler, esbuild bundle, local protocol servers, ${opts.model ? 'with' : 'without'} the ONNX model (Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)})`);
    for (const mode of modes) {
      const cold = coldBy[mode]!;
      const imports = cold.map((c) => c.importMs);
      const firsts = cold.map((c) => c.firstMs);
      const totals = cold.map((c) => c.importMs + c.firstMs);
      const startups = cold.flatMap((c) => (c.startup ? [c.startup.startupMs] : []));
      const label = mode === 'prebuilt' ? 'prebuilt runbook-index.json' : 'runbook index built at start';
      console.log(`cold start, ${label} (${cold.length} fresh processes): module import p50 ${f(percentile(imports, 50))}, first invocation p50 ${f(percentile(firsts, 50))} [${[...new Set(cold.map((c) => c.firstStatus))].join(', ')}], import+first p50 ${f(percentile(totals, 50))} max ${f(Math.max(...totals))}`);
      if (startups.length) console.log(`  of which runtime construction p50 ${f(percentile(startups.map((s) => s.total), 50))}, runbooks read + indexed p50 ${f(percentile(startups.map((s) => s.runbooks), 50))} (min ${f(Math.min(...startups.map((s) => s.runbooks)))}, max ${f(Math.max(...startups.map((s) => s.runbooks)))})`);
    }
    console.log(`warm, new incident (${warm.warmNewMs.length}): p50 ${f(percentile(warm.warmNewMs, 50))} p95 ${f(percentile(warm.warmNewMs, 95))}`);
    console.log(`warm, replay of a delivered event (${warm.warmReplayMs.length}): p50 ${f(percentile(warm.warmReplayMs, 50))} p95 ${f(percentile(warm.warmReplayMs, 95))}`);
  } finally {
    await harness.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

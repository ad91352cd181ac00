/**
 * `npm run bench`: runs every benchmark in this folder, one after another (each in its own
 * process, so peak-memory figures are not mixed): template mining throughput and memory, model
 * size/load/latency, handler cold/warm latency, the CLI's end-to-end time. Pass names to run only
 * some: `npm run bench -- templates model`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name}.ts ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`bench/${name}.ts exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;

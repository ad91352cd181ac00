/**
 * Events evaluation: normalizes every JSON file under `<data>/aws-events` and prints a table
 * (file, shape, source, severity, title / resources, or the error) and totals; then the same for
 * the recorded alerts of `<data>/k8s/holmesgpt` (`issue_data.json`, `investigate_request.json`).
 *
 * Usage: `npm run eval:events -- [--data DIR] [--json]` (`DIR` relative to the working directory;
 * default: `../shared/data` relative to the repository root). A file rejected with a typed error (`OpsAssistantError`) counts as
 * "rejected"; any other exception is a crash and makes the exit code 1. When the data folder is
 * absent it prints a skip message and exits 0.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OpsAssistantError, describeError } from '../functions/core/model/errors.js';
import { detectEventShape, normalizeEvent, parseEventJson } from '../functions/core/stages/normalize/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Row {
  readonly file: string;
  readonly shape: string;
  readonly outcome: 'normalized' | 'rejected' | 'crashed';
  readonly source?: string;
  readonly severity?: string;
  readonly detail: string;
}

/** Every `*.json` file under `dir`, sorted, relative paths. */
function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.toLowerCase().endsWith('.json')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function evaluate(path: string, root: string): Row {
  const file = relative(root, path);
  let shape = '-';
  try {
    // Bytes decoded as UTF-8 with replacement, as the CLI reads files.
    const text = new TextDecoder('utf-8').decode(readFileSync(path));
    const payload = parseEventJson(text, file);
    shape = detectEventShape(payload) ?? '(unknown)';
    const incident = normalizeEvent(payload, { input: file, now: new Date('2026-01-01T00:00:00Z') });
    const resources = incident.resources.slice(0, 3).map((r) => `${r.type.replace(/^AWS::/, '')}/${r.name}`).join(', ');
    const extra = incident.hintedCategory ? ` [hint ${incident.hintedCategory}]` : '';
    return { file, shape, outcome: 'normalized', source: incident.source, severity: incident.severity, detail: `${incident.title}${extra} | ${resources}` };
  } catch (error) {
    if (error instanceof OpsAssistantError) return { file, shape, outcome: 'rejected', detail: `${error.name}: ${error.message}` };
    return { file, shape, outcome: 'crashed', detail: `CRASH ${error instanceof Error ? error.stack ?? error.message : describeError(error)}` };
  }
}

function cut(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine.padEnd(width);
}

/** HolmesGPT recorded alerts (`issue_data.json`, `investigate_request.json`) under `<data>/k8s/holmesgpt`. */
function alertFiles(dataDir: string): string[] {
  const root = join(dataDir, 'k8s', 'holmesgpt');
  if (!existsSync(root)) return [];
  return jsonFiles(root).filter((p) => /(^|\/)(issue_data|investigate_request)\.json$/.test(p));
}

function printTable(title: string, rows: readonly Row[]): void {
  console.log(`\n## ${title}\n`);
  console.log(`${'file'.padEnd(62)} ${'shape'.padEnd(40)} ${'source'.padEnd(22)} ${'severity'.padEnd(8)} title | resources, or error`);
  for (const row of rows) {
    console.log(`${cut(row.file, 62)} ${cut(row.shape, 40)} ${cut(row.source ?? `(${row.outcome})`, 22)} ${cut(row.severity ?? '-', 8)} ${row.detail.replace(/\s+/g, ' ')}`);
  }
}

function totals(rows: readonly Row[]): string {
  const count = (o: Row['outcome']): number => rows.filter((r) => r.outcome === o).length;
  return `${rows.length} files: ${count('normalized')} normalized, ${count('rejected')} rejected with a typed error, ${count('crashed')} crashed`;
}

function main(): number {
  const { values } = parseArgs({ options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const dataDir = values.data ? resolve(values.data) : resolve(repoRoot, '../shared/data');
  const eventsDir = join(dataDir, 'aws-events');
  if (!existsSync(eventsDir)) {
    console.log(`eval:events skipped: ${eventsDir} not found (pass --data DIR)`);
    return 0;
  }
  const started = performance.now();
  const rows = jsonFiles(eventsDir).map((p) => evaluate(p, eventsDir));
  const alertRows = alertFiles(dataDir).map((p) => evaluate(p, join(dataDir, 'k8s')));
  const elapsedMs = performance.now() - started;
  if (values.json) {
    console.log(JSON.stringify({ events: rows, alerts: alertRows }, null, 2));
  } else {
    printTable(`AWS events (${eventsDir})`, rows);
    if (alertRows.length > 0) printTable('Prometheus / Robusta alerts (k8s/holmesgpt)', alertRows);
  }
  console.log(`\naws-events: ${totals(rows)}`);
  if (alertRows.length > 0) console.log(`alerts:     ${totals(alertRows)}`);
  console.log(`time: ${elapsedMs.toFixed(0)} ms for ${rows.length + alertRows.length} files (read, parse, normalize), ${(elapsedMs / Math.max(1, rows.length + alertRows.length)).toFixed(2)} ms per file`);
  return [...rows, ...alertRows].some((r) => r.outcome === 'crashed') ? 1 : 0;
}

process.exitCode = main();

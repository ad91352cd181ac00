/**
 * `ops-assistant diagnose`: the main job. Reads an event and evidence files (or stdin), runs the
 * pipeline with local adapters, prints the report and writes the store layout under `--out`.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseLocal, type OutputFormat } from '../../composition/local.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/checkout-oom/', import.meta.url));

/** Registers `diagnose` on `program`. */
export function registerDiagnoseCommand(program: Command): void {
  program
    .command('diagnose')
    .description('Diagnose an incident from an AWS event and evidence files (logs, kubectl output, Kubernetes objects).')
    .option('--event <file>', 'the event that fired: a CloudWatch alarm, EventBridge, SNS or API Gateway payload (JSON); - for stdin')
    .option('--evidence <file...>', 'evidence files: logs, kubectl describe/get events output, Kubernetes JSON/YAML, CloudWatch Logs responses; - for stdin', collect, [])
    .option('--kb <dir...>', 'extra runbook folders (Markdown) to search besides the bundled ones', collect, [])
    .option('--out <dir>', 'directory to write diagnoses/YYYY/MM/DD/<id>.json|.md|.html and messages/ into', 'out')
    .option('--no-write', 'print only; write nothing under --out')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('--no-model', 'rank hypotheses with rules only (skip the ONNX model)')
    .option('--budget-ms <ms>', 'time budget for collecting evidence, milliseconds', (v) => parsePositiveInt(v, '--budget-ms'), 10_000)
    .option('--at <time>', 'without --event: the incident\'s time (ISO-8601); default: the last failure line\'s timestamp in the evidence, else its last timestamp', parseTimeOption)
    .option('--alarm-tag-filter <key=value,...>', 'diagnose only alarms carrying every one of these tags (as ALARM_TAG_FILTER in Lambda); tags come from --alarm-tags')
    .option('--alarm-tags <file>', 'JSON { "<alarm name or ARN>": { "<key>": "<value>" } }: the alarms\' tags for --alarm-tag-filter')
    .option('--example', 'diagnose the bundled example incident (examples/checkout-oom)')
    .action(async (options: DiagnoseCliOptions) => {
      let event = options.event;
      let evidence: string[] = options.evidence ?? [];
      if (options.example) {
        // Paths relative to the working directory, so evidence is quoted as the user would type it.
        const example = path.relative(process.cwd(), EXAMPLE_DIR) || '.';
        event ??= path.join(example, 'alarm.json');
        if (evidence.length === 0) {
          evidence = ['pod-describe.txt', 'events.txt', 'app.log', 'metric-data.json'].map((f) => path.join(example, f));
        }
      }
      if (!event && evidence.length === 0) {
        program.error('diagnose needs --event <file> and/or --evidence <file...> (or --example); see --help', { exitCode: 2 });
      }
      if ([event, ...evidence].filter((p) => p === '-').length > 1) {
        program.error('stdin (-) can be read only once: give it to either --event or one --evidence', { exitCode: 2 });
      }
      const result = await diagnoseLocal({
        eventPath: event,
        evidencePaths: evidence,
        kbDirs: options.kb ?? [],
        outDir: options.write === false ? undefined : options.out,
        useModel: options.model !== false,
        budgetMs: options.budgetMs,
        ...(options.at ? { at: options.at } : {}),
        ...(options.alarmTagFilter ? { alarmTagFilter: { required: options.alarmTagFilter, tagsFile: requireTagsFile(program, options.alarmTags) } } : {}),
      });
      process.stdout.write(result.render(options.format as OutputFormat));
      if (result.diagnosis && result.writtenKeys.length > 0 && options.format === 'text') {
        const key = result.writtenKeys[0]!.replace(/\.json$/, '');
        process.stdout.write(result.created
          ? `\nWritten under ${options.out}/: ${key}.json, .md, .html, and the incident message in messages/\n`
          : `\nNot written: ${options.out}/${key}.json holds this incident's diagnosis from an earlier run (diagnoses are never overwritten; use another --out to keep this one)\n`);
      }
    });
}

interface DiagnoseCliOptions {
  event?: string;
  evidence?: string[];
  kb?: string[];
  out: string;
  write?: boolean;
  format: string;
  model?: boolean;
  budgetMs: number;
  example?: boolean;
  at?: Date;
  alarmTagFilter?: string;
  alarmTags?: string;
}

function requireTagsFile(program: Command, file: string | undefined): string {
  if (!file) program.error('--alarm-tag-filter needs --alarm-tags <file> (the alarms\' tags)', { exitCode: 2 });
  return file!;
}

function parseTimeOption(value: string): Date {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) throw new InvalidArgumentError(`--at must be an ISO-8601 time (e.g. 2020-03-14T12:00:00Z), got '${value}'`);
  return new Date(ms);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number of milliseconds, got '${value}'`);
  return n;
}

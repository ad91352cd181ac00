/**
 * `ops-assistant diagnose`: the main job. Reads an event and evidence files (or stdin), runs the
 * pipeline with local adapters, prints the report and writes the store layout under `--out`.
 * Registration is light; the pipeline is imported when the command runs, after its inputs and
 * `--out` were checked.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import path from 'node:path';
import { EXAMPLE_DIR } from '../../composition/paths.js';
import type { OutputFormat } from '../../composition/local.js';
import { DIAGNOSIS_OUTPUTS, addOutputOption, examples, outputOf, terminal } from '../options.js';
import { noteStdinReading, progressOn } from '../progress.js';

/** Registers `diagnose` on `program`. */
export function registerDiagnoseCommand(program: Command): void {
  const command = program
    .command('diagnose')
    .description('Diagnose an incident from an AWS event and evidence files (logs, kubectl output, Kubernetes objects).')
    .option('--event <file>', 'the event that fired: a CloudWatch alarm, EventBridge, SNS or API Gateway payload (JSON); - for stdin')
    .option('--evidence <file...>', 'evidence files: logs, kubectl describe/get events output, Kubernetes JSON/YAML, CloudWatch Logs responses; - for stdin', collect, [])
    .option('--kb <dir...>', 'extra runbook folders (Markdown) to search besides the bundled ones', collect, [])
    .option('--out <dir>', 'directory to write diagnoses/YYYY/MM/DD/<id>.json|.md|.html and messages/ into', 'out')
    .option('--no-write', 'print only; write nothing under --out');
  addOutputOption(command, DIAGNOSIS_OUTPUTS, 'text')
    .option('--summary', 'text only: the lead, its evidence and the first actions, in at most 15 lines')
    .option('-n, --namespace <name>', 'Kubernetes namespace, when the event and evidence do not name it (fills <namespace> in the commands)', namespaceName)
    .option('--cluster <name>', 'cluster name, when the event and evidence do not name it (fills <cluster> in the commands)', clusterName)
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
      const format = outputOf(options, command) as OutputFormat;
      if (options.summary && format !== 'text') program.error(`--summary is a text report; it does not go with -o ${format}`, { exitCode: 2 });
      if (event === '-') noteStdinReading('the event');
      else if (evidence.includes('-')) noteStdinReading('evidence');
      const outDir = options.write === false ? undefined : options.out;
      const context = { ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.cluster ? { cluster: options.cluster } : {}) };
      const progress = progressOn();
      const { diagnoseLocal } = await import('../../composition/local.js');
      let result: Awaited<ReturnType<typeof diagnoseLocal>>;
      try {
        result = await diagnoseLocal({
          eventPath: event,
          evidencePaths: evidence,
          kbDirs: options.kb ?? [],
          outDir,
          useModel: options.model !== false,
          budgetMs: options.budgetMs,
          ...(options.at ? { at: options.at } : {}),
          ...(Object.keys(context).length ? { context } : {}),
          ...(options.alarmTagFilter ? { alarmTagFilter: { required: options.alarmTagFilter, tagsFile: requireTagsFile(program, options.alarmTags) } } : {}),
          progress: { onRead: (source, bytes, lines) => progress.read(source, lines, bytes), onStage: (stage) => progress.stage(stage) },
        });
      } finally {
        progress.stop();
      }
      const tty = terminal();
      process.stdout.write(result.render(format, { width: tty.width, color: tty.color, summary: options.summary === true }));
      // Where it was written: on stdout after a text report, on stderr otherwise (stdout holds a document).
      const note = (line: string) => (format === 'text' ? process.stdout : process.stderr).write(format === 'text' ? `\n${line}\n` : `${line}\n`);
      if (result.writeError) {
        process.stderr.write(`ops-assistant: the diagnosis was printed but not written under ${path.resolve(outDir ?? '.')}: ${result.writeError.message}\n`);
        process.exitCode = 2;
      } else if (outDir && result.diagnosis && result.writtenKeys.length > 0) {
        const base = path.resolve(outDir, result.writtenKeys[0]!.replace(/\.json$/, ''));
        note(result.created
          ? `Written: ${base}.html (and .json, .md beside it; the incident message in ${path.resolve(outDir, 'messages')}${path.sep})`
          : `Not written: ${base}.json holds this incident's diagnosis from an earlier run (diagnoses are never overwritten; use another --out to keep this one)`);
      }
    });
  examples(command, [
    ['ops-assistant diagnose --example', 'Diagnose the bundled example incident'],
    ['ops-assistant diagnose --event alarm.json --evidence pod.txt app.log', 'an alarm with its evidence'],
    ['kubectl describe pod checkout-7d9f -n shop | ops-assistant diagnose --evidence -', 'evidence from stdin'],
    ['ops-assistant diagnose --evidence app.log -n shop --cluster prod-eks', 'name what the evidence does not'],
    ['ops-assistant diagnose --evidence app.log --summary', 'lead, evidence and first actions in 15 lines'],
    ['ops-assistant diagnose --evidence app.log -o json --no-write | jq ".hypotheses[0]"', 'the document, nothing written'],
    ['ops-assistant diagnose --evidence app.log -o html > report.html', 'a self-contained HTML report'],
  ]);
}

interface DiagnoseCliOptions {
  event?: string;
  evidence?: string[];
  kb?: string[];
  out: string;
  write?: boolean;
  output?: string;
  format?: string;
  summary?: boolean;
  namespace?: string;
  cluster?: string;
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

/**
 * A namespace name as Kubernetes accepts it (an RFC 1123 label: at most 63 lowercase letters,
 * digits and '-', starting and ending with a letter or digit), since it is pasted into commands.
 * @throws InvalidArgumentError naming the rule.
 */
export function namespaceName(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a namespace name (lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit)`);
  return value;
}

/**
 * A cluster name as Amazon EKS accepts it (1–100 characters: letters, digits, '-' and '_', starting
 * with a letter or digit; CreateCluster's `name`), since it is pasted into commands.
 * @throws InvalidArgumentError naming the rule.
 */
export function clusterName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a cluster name (letters, digits, '-' and '_', at most 100, starting with a letter or digit)`);
  return value;
}

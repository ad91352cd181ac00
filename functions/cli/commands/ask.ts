/**
 * `ops-assistant ask "<question>"`: answers from the runbooks, earlier diagnoses and (with
 * `--evidence`) the pipeline; actions and infrastructure come back as plans, never executed.
 * With `--kube-endpoint`, Kubernetes plans are validated by a server-side dry run (`?dryRun=All`).
 * Exit codes (from cli/main.ts): 0 answered (a clarifying answer too), 2 refused or bad input.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { AskIntent, AskResponse } from '../../core/ask/index.js';
import type { KubernetesApi } from '../../core/ask/ports.js';
import { InvalidInputError } from '../../core/model/errors.js';
import { showControls, wrap, wrapCommand } from '../../core/stages/compose/format.js';
import { addOutputOption, examples, outputOf, terminal } from '../options.js';

export function registerAskCommand(program: Command): void {
  const command = program
    .command('ask')
    .description('Ask in plain language: what is wrong with a workload, errors in a service, how to debug something, or for a plan (scale, restart, an alarm).')
    .argument('[question]', 'the question, in quotes (before or after the options)')
    .option('--evidence <file...>', 'files that stand for the live system (logs, kubectl output) for questions that need collection', (v: string, p: string[]) => [...p, v], [])
    .option('--kb <dir...>', 'extra runbook folders', (v: string, p: string[]) => [...p, v], [])
    .option('--out <dir>', 'store root: earlier diagnoses are read and plans are written here', 'out')
    .option('--cluster <name>', 'context: cluster')
    .option('-n, --namespace <name>', 'context: namespace')
    .option('--service <name>', 'context: service')
    .option('--since <when>', 'context: time (ISO-8601 or words like "1 hour ago")')
    .addOption(new Option('--intent <intent>', 'answer as this intent, keeping the entities the parser read (when it misreads the question)').choices(ANSWER_INTENTS))
    .option('--now <time>', 'the clock for time words ("since monday", "yesterday"), ISO-8601: to replay recorded evidence')
    .option('--no-model', 'read the question with rules only (the intent model ops-intent is used by default) and rank without the category model')
    .option('--kube-endpoint <url>', 'Kubernetes API server for the server-side dry run of plans (bearer token from KUBE_TOKEN); plans are never executed by ask')
    .action(async (given: string | undefined, options: AskCliOptions) => {
      const question = questionOf(given, options, (message) => program.error(message, { exitCode: 2 }));
      const format = outputOf(options, command);
      // Evidence that cannot be read is refused before the model and runbooks load.
      const { checkEvidenceFile } = await import('../../composition/local-input.js');
      for (const file of options.evidence) await checkEvidenceFile(file);
      const [{ answerParsed, ask, parseQuestion, validateAskRequest }, { localAskDeps }, { jsonText, redactDeep }, YAML] = await Promise.all([
        import('../../core/ask/index.js'), import('../../composition/local.js'), import('../../core/stages/compose/index.js'), import('yaml'),
      ]);
      const context = Object.fromEntries(Object.entries({ cluster: options.cluster, namespace: options.namespace, service: options.service, since: options.since }).filter(([, v]) => v !== undefined));
      const request = validateAskRequest({ question, context: Object.keys(context).length ? context : undefined });
      const now = options.now === undefined ? undefined : clock(options.now);
      const base = await localAskDeps({ outDir: options.out, evidencePaths: options.evidence, kbDirs: options.kb, useModel: options.model, ...(now ? { now } : {}) });
      const deps = options.kubeEndpoint ? { ...base, kubernetes: await kubernetesClient(options.kubeEndpoint) } : base;
      // The answer quotes evidence: redacted like every other output, and made safe for a terminal.
      const response = redactDeep(options.intent
        ? await answerParsed(request, { ...parseQuestion(request.question, (now ?? (() => new Date()))(), request.context), intent: options.intent }, deps)
        : await ask(request, deps));
      process.stdout.write(format === 'json' ? `${jsonText(response, 2)}\n` : format === 'yaml' ? YAML.stringify(JSON.parse(jsonText(response)), { lineWidth: 0 }) : renderAskText(response, terminal().width));
    });
  // Before the action: -o/--output and its alias --format.
  addOutputOption(command, ['text', 'json', 'yaml'], 'text');
  examples(command, [
    ['ops-assistant ask "how do I debug a pending PVC?"', 'from the runbooks'],
    ['ops-assistant ask --evidence pod.txt "why is checkout crash-looping?"', 'about the evidence (options first)'],
    ['ops-assistant ask "why is checkout crash-looping?" --evidence pod.txt app.log', 'or after the question'],
    ['ops-assistant ask "scale checkout to 5 replicas" -n shop', 'a plan, never executed'],
    ['ops-assistant ask "errors in checkout since monday" --evidence app.log -o json', 'the answer as JSON'],
  ]);
}

/**
 * The question, wherever it was put: `--evidence` takes every word after it, so in
 * `ask --evidence pod.txt "why …?"` the question arrives as the last evidence item. It is taken
 * back when it is not a file that exists (a question is never a file name here).
 */
function questionOf(given: string | undefined, options: AskCliOptions, fail: (message: string) => never): string {
  if (given !== undefined) return given;
  const last = options.evidence.at(-1);
  if (last !== undefined && last !== '-' && !existsSync(last)) {
    options.evidence.pop();
    return last;
  }
  return fail('error: ask needs a question, e.g. ops-assistant ask "why is checkout crash-looping?" --evidence pod.txt');
}

/** The Kubernetes API at `endpoint` with the bearer token in `KUBE_TOKEN` (never a command-line argument: it would show in the process list). */
async function kubernetesClient(endpoint: string): Promise<KubernetesApi> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidInputError('--kube-endpoint', `'${endpoint}' is not a URL`, { code: 'INVALID_ARGUMENT' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInputError('--kube-endpoint', 'must be an http(s) URL', { code: 'INVALID_ARGUMENT' });
  const { localKubernetesClient } = await import('../../composition/local.js');
  return localKubernetesClient(url.toString(), async () => process.env.KUBE_TOKEN ?? '');
}

/** Intents `--intent` accepts: the answers, not plans (a plan is only made from the question's own words). */
const ANSWER_INTENTS: AskIntent[] = ['diagnose', 'search_errors', 'history', 'changes', 'knowledge', 'health', 'latency'];

/** `--now`: an ISO-8601 time, as a clock. */
function clock(value: string): () => Date {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) throw new InvalidInputError('--now', `'${value}' is not an ISO-8601 time (e.g. 2026-11-30T07:00:00Z)`, { code: 'INVALID_ARGUMENT' });
  return () => new Date(t);
}

interface AskCliOptions {
  intent?: AskIntent;
  now?: string;
  kubeEndpoint?: string;
  /** false with `--no-model`. */
  model: boolean;
  evidence: string[];
  kb: string[];
  out: string;
  cluster?: string;
  namespace?: string;
  service?: string;
  since?: string;
  output?: string;
  format?: string;
}

/**
 * The answer for a terminal: answer, sources, and the plan when there is one. With `width`
 * (columns), prose wraps between words, code blocks of the answer are shown whole and the plan's
 * kubectl commands stay pasteable (` \` continuations); without it, lines are left whole (for
 * clients that wrap themselves).
 */
export function renderAskText(r: AskResponse, width?: number): string {
  const prose = (text: string, indent = '', first = indent): string[] => (width ? wrap(showControls(text), width, indent, first) : [`${first}${showControls(text)}`]);
  // Code blocks (``` fences) are shown whole, never wrapped: their commands must paste as they are.
  const answer: string[] = [];
  let fenced = false;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length) answer.push(...prose(paragraph.join('\n')));
    paragraph = [];
  };
  for (const line of r.answer.split('\n')) {
    if (/^\s{0,3}```/.test(line)) {
      flush();
      fenced = !fenced;
      answer.push(showControls(line));
    } else if (fenced) answer.push(showControls(line));
    else paragraph.push(line);
  }
  flush();
  const lines = [...answer, ''];
  if (r.citations.length) {
    lines.push('Sources:');
    r.citations.forEach((c, i) => lines.push(...prose(`${c.source}${c.title ? ` — ${c.title}` : ''}`, '      ', `  [${i + 1}] `)));
    lines.push('');
  }
  if (r.plan) {
    lines.push(...prose(`Plan ${r.plan.id} (${r.plan.status}, expires ${r.plan.expiresAt}):`, '  ', ''));
    if (r.plan.kubernetes) {
      for (const req of r.plan.kubernetes.requests) lines.push(...prose(`${req.method} ${req.path}${req.body !== undefined ? ` ${JSON.stringify(req.body)}` : ''}`, '    ', '  '));
      for (const cmd of r.plan.kubernetes.kubectl) lines.push(...(width ? wrapCommand(showControls(cmd), width, '      ', '  $ ') : [`  $ ${showControls(cmd)}`]));
    }
    if (r.plan.iac) lines.push(showControls(r.plan.iac.cdk));
  }
  lines.push(`(intent: ${r.intent})`);
  return `${lines.join('\n')}\n`;
}

/**
 * Composition root of the local mode (CLI and `serve`): builds the diagnose and ask use cases'
 * dependencies over local adapters (files, stdin, a directory store and storm guard, a tag file,
 * a file notifier, runbook folders, the ONNX model from `models/`). Built pieces that are costly
 * (runbook index, model) are memoised per process. The commands only call what this builds.
 */
import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnosis } from '../core/model/diagnosis.js';
import type { Incident } from '../core/model/incident.js';
import type { Degradation } from '../core/model/evidence.js';
import { sha256Text } from '../core/model/store-layout.js';
import { InvalidInputError, OpsAssistantError, describeError } from '../core/model/errors.js';
import type { CategoryClassifier, TextEmbedder } from '../core/ports/model.port.js';
import type { DiagnosisStore } from '../core/ports/diagnosis-store.port.js';
import { diagnoseEvent, type DiagnoseDeps, type DiagnoseOutcome, type EvidenceDocument } from '../core/diagnose/index.js';
import type { ApiRuntime } from '../core/ports/api.port.js';
import { MAX_EVENT_BYTES } from '../core/stages/normalize/index.js';
import { collect, parseEvidenceText } from '../core/stages/collect/index.js';
import { RunbookIndex } from '../core/stages/retrieve/index.js';
import { jsonText, renderMarkdown, renderSummary, renderText, type TextStyle } from '../core/stages/compose/index.js';
import YAML from 'yaml';
import picocolors from 'picocolors';
import { renderHtml, runbookHrefFromRoots, runbookPassageLookup } from '../core/stages/compose/html/index.js';
import { fileCollector, preloadEvidenceFiles } from '../adapters/local/evidence-file.collector.js';
import { runbookFolderSource } from '../adapters/local/runbook-folder.source.js';
import { DirectoryStore } from '../adapters/local/directory-store.js';
import { DirectoryAlarmStormGuard } from '../adapters/local/directory-alarm-storm.guard.js';
import { FileAlarmTagFilter } from '../adapters/local/alarm-tags-file.filter.js';
import { parseAlarmTagFilter } from '../core/diagnose/alarm-tags.js';
import { FileNotifier } from '../adapters/local/file-notifier.js';
import { DirectoryAuditLog, DirectoryPlanStore } from '../adapters/local/plan-store.js';
import { ProposalPlanStore } from '../adapters/local/memory-plan.store.js';
import type { RunbookDocument } from '../core/ports/runbook-source.port.js';
import { KubernetesApiClient } from '../adapters/kubernetes/kubernetes-api.client.js';
import { CdkIacSynthesizer } from '../adapters/cdk/iac-synthesizer.js';
import { workloadNames, type AskDeps, type IntentClassifier } from '../core/ask/index.js';
import type { KubernetesApi } from '../core/ask/ports.js';

/** Why an input's first bytes are not text (for the `templates` command, which reads files itself). */
export { binaryReason } from '../adapters/local/evidence-file.collector.js';

/** Repository root (where `knowledge-base/`, `models/` and `examples/` live); the same from `dist/`. */
export { REPO_ROOT } from './paths.js';
import { REPO_ROOT } from './paths.js';
/** The bundled runbooks. */
export const BUNDLED_KB_DIR = path.join(REPO_ROOT, 'knowledge-base');
/** Where `models/manifest.json` lives. */
export const MODELS_DIR = path.join(REPO_ROOT, 'models');
/** Default model id in the manifest. */
export const DEFAULT_MODEL_ID = 'ops-encoder';

export type OutputFormat = 'text' | 'json' | 'yaml' | 'markdown' | 'html';

/** How {@link LocalDiagnoseResult.render} lays out text (`text` format only). */
export interface RenderOptions {
  /** Columns; default 80. */
  readonly width?: number;
  /** ANSI colours (headings, the lead, commands); default none. */
  readonly color?: boolean;
  /** The short form: the lead, its evidence and the first actions in at most 15 lines. */
  readonly summary?: boolean;
}

const runbookIndexes = new Map<string, Promise<RunbookIndex>>();

/**
 * The runbook index over the bundled runbooks plus `extraDirs`, memoised per folder list.
 * A folder that cannot be read throws {@link InvalidInputError} naming it.
 */
export function loadRunbookIndex(extraDirs: readonly string[] = [], embedder?: TextEmbedder): Promise<RunbookIndex> {
  const key = JSON.stringify([extraDirs, embedder?.id ?? null]);
  let index = runbookIndexes.get(key);
  if (!index) {
    index = (async () => {
      const sources = [runbookFolderSource(BUNDLED_KB_DIR, 'bundled'), ...extraDirs.map((dir) => {
        if (!existsSync(dir)) throw new InvalidInputError(dir, 'runbook folder (--kb) does not exist');
        return runbookFolderSource(dir, path.basename(path.resolve(dir)));
      })];
      const docs = (await Promise.all(sources.map((s) => s.load()))).flat();
      return RunbookIndex.build(docs, { embedder });
    })();
    index.catch(() => runbookIndexes.delete(key));
    runbookIndexes.set(key, index);
  }
  return index;
}

let classifierPromise: Promise<CategoryClassifier | undefined> | undefined;

/**
 * The bundled ONNX classifier, or undefined when `models/` has no usable model (the reason goes
 * to `onUnavailable`). Memoised per process; a failed load is retried on the next call.
 */
export function loadLocalClassifier(onUnavailable: (reason: string) => void): Promise<CategoryClassifier | undefined> {
  if (!classifierPromise) {
    classifierPromise = (async () => {
      if (!existsSync(path.join(MODELS_DIR, 'manifest.json'))) {
        onUnavailable('models/manifest.json not found');
        return undefined;
      }
      const { createClassifier } = await import('../adapters/onnx/index.js');
      return createClassifier({ modelsDir: MODELS_DIR, id: DEFAULT_MODEL_ID });
    })();
    classifierPromise.catch(() => {
      classifierPromise = undefined;
    });
  }
  return classifierPromise;
}

let intentPromise: Promise<IntentClassifier | undefined> | undefined;

/**
 * The bundled intent model (`ops-intent`), or undefined when `models/` lacks it (the rule parser
 * then reads questions). Memoised per process; a failed load is retried on the next call.
 */
export function loadLocalIntentClassifier(): Promise<IntentClassifier | undefined> {
  if (!intentPromise) {
    intentPromise = (async () => {
      if (!existsSync(path.join(MODELS_DIR, 'manifest.json'))) return undefined;
      const { createIntentClassifier, INTENT_MODEL_ID } = await import('../adapters/onnx/index.js');
      return createIntentClassifier({ modelsDir: MODELS_DIR, id: INTENT_MODEL_ID });
    })();
    intentPromise.catch(() => {
      intentPromise = undefined;
    });
  }
  return intentPromise;
}

/** Workload names the evidence files name (`Name:` of kubectl describe, `pod/x`, `deployment/x`, `app=x`), read from their first 256 KiB. */
function evidenceNames(paths: readonly string[]): string[] {
  const names: string[] = [];
  for (const p of paths) {
    let text: string;
    try {
      const fd = openSync(p, 'r');
      const buf = Buffer.alloc(256 * 1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      text = buf.subarray(0, n).toString('utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^Name:\s+([a-z0-9][a-z0-9.-]*)$|\b(?:pod|deployment|deploy|statefulset)\/([a-z0-9][a-z0-9.-]*)|\bapp(?:\.kubernetes\.io\/name)?=([a-z0-9][a-z0-9.-]*)/gm)) names.push(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

let embedderPromise: Promise<TextEmbedder | undefined> | undefined;

/**
 * The bundled encoder as a sentence embedder (dense retrieval, fused with BM25), or undefined
 * when no model is available. Memoised per process; a failed load is retried on the next call.
 */
export function loadLocalEmbedder(): Promise<TextEmbedder | undefined> {
  if (!embedderPromise) {
    embedderPromise = (async () => {
      if (!existsSync(path.join(MODELS_DIR, 'manifest.json'))) return undefined;
      const { createEmbedder } = await import('../adapters/onnx/index.js');
      return createEmbedder({ modelsDir: MODELS_DIR, id: DEFAULT_MODEL_ID });
    })();
    embedderPromise.catch(() => {
      embedderPromise = undefined;
    });
  }
  return embedderPromise;
}

/**
 * The HTML report renderer of the local mode: each runbook reference links to its passage, shown
 * in the report, and to its Markdown file (`file://…#heading`) in the bundled `knowledge-base/`
 * or the `--kb` folder it came from.
 */
export function localHtmlRenderer(runbooks: RunbookIndex, kbDirs: readonly string[] = []): (d: Diagnosis) => string {
  const fileUnder = (dir: string) => (inRoot: string) => pathToFileURL(path.join(path.resolve(dir), ...inRoot.split('/'))).href;
  const roots: Record<string, (inRoot: string) => string | undefined> = { bundled: fileUnder(BUNDLED_KB_DIR) };
  // The names loadRunbookIndex gives the --kb folders (a later folder of the same name wins there too).
  for (const dir of kbDirs) roots[path.basename(path.resolve(dir))] = fileUnder(dir);
  const options = { runbookHref: runbookHrefFromRoots(roots), runbookPassage: runbookPassageLookup(runbooks.chunks) };
  return (d) => renderHtml(d, options);
}

/** Runbook index with dense retrieval when the model is used and loads; BM25 alone otherwise. */
async function runbookIndexFor(kbDirs: readonly string[], useModel: boolean | undefined): Promise<RunbookIndex> {
  const embedder = useModel === false ? undefined : await loadLocalEmbedder().catch(() => undefined);
  return loadRunbookIndex(kbDirs, embedder);
}

/**
 * The bundled classifier and what went wrong loading it: a model that is missing or does not
 * load is recorded as a `degraded` entry of every diagnosis (diagnose, serve and ask alike).
 */
async function localModel(useModel: boolean | undefined): Promise<{ classifier?: CategoryClassifier; degraded: Degradation[] }> {
  if (useModel === false) return { degraded: [] };
  const notes: string[] = [];
  const classifier = await loadLocalClassifier((reason) => notes.push(reason)).catch((error) => {
    notes.push(`model could not be loaded: ${describeError(error)}`);
    return undefined;
  });
  return { ...(classifier ? { classifier } : {}), degraded: notes.map((reason) => ({ component: 'infer:model', kind: 'skipped' as const, reason })) };
}

/** Options of {@link localDiagnoseDeps}. */
export interface LocalDepsOptions {
  /** Store root: diagnoses, messages, quarantine and storm markers; none: nothing is written. */
  readonly outDir?: string;
  /** Extra runbook folders. */
  readonly kbDirs?: readonly string[];
  /** Use the ONNX model when it is present; default true. */
  readonly useModel?: boolean;
  /** Collect budget, ms. */
  readonly budgetMs?: number;
  readonly now?: () => Date;
  /** Evidence files that stand for the live system (`serve --evidence`, `ask --evidence`): collected for incidents that bring no evidence of their own. */
  readonly liveEvidencePaths?: readonly string[];
  /** Publish incident messages to `<outDir>/messages/`; default true. */
  readonly notify?: boolean;
  /** Diagnose only alarms carrying these tags (`--alarm-tag-filter key=value,…`), read from `tagsFile` (`--alarm-tags`). */
  readonly alarmTagFilter?: { readonly required: string; readonly tagsFile: string };
}

/**
 * The diagnose use case's dependencies over local adapters: the directory store and storm guard
 * under `outDir`, the file notifier, runbook folders, the bundled model (its load failure recorded
 * as a degradation), and the evidence files that stand for the live system.
 */
export async function localDiagnoseDeps(options: LocalDepsOptions = {}): Promise<DiagnoseDeps> {
  const model = await localModel(options.useModel);
  const runbooks = await runbookIndexFor(options.kbDirs ?? [], options.useModel);
  const live = options.liveEvidencePaths ?? [];
  const outDir = options.outDir;
  const required = parseAlarmTagFilter(options.alarmTagFilter?.required);
  const tagFilter = required.length && options.alarmTagFilter ? await FileAlarmTagFilter.load(required, options.alarmTagFilter.tagsFile) : undefined;
  return {
    ...(outDir ? { store: new DirectoryStore(outDir) } : {}),
    alarms: { ...(outDir ? { stormGuard: new DirectoryAlarmStormGuard(outDir) } : {}), ...(tagFilter ? { tagFilter } : {}) },
    pipeline: {
      runbooks,
      ...(model.classifier ? { classifier: model.classifier } : {}),
      ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
      // A submission that carries its own evidence is diagnosed on that alone.
      collectorsFor: (incident) => (incident.inlineEvidence?.length ? [] : live.map((p) => fileCollector(p))),
    },
    delivery: {
      renderHtml: localHtmlRenderer(runbooks, options.kbDirs),
      ...(outDir && options.notify !== false ? {
        notifier: new FileNotifier({ dir: path.join(outDir, 'messages') }),
        // The message links the report as the file it is in the store.
        reportUrl: (key: string) => pathToFileURL(path.resolve(outDir, key)).href,
      } : {}),
    },
    startupDegraded: model.degraded,
    ...(options.now ? { now: options.now } : {}),
  };
}

export interface LocalDiagnoseOptions {
  /** Path of the event JSON, or `-` for stdin; none for an evidence-only run. */
  readonly eventPath?: string;
  /** Evidence files (or `-` for stdin). */
  readonly evidencePaths: readonly string[];
  /** Extra runbook folders. */
  readonly kbDirs?: readonly string[];
  /** Store root; nothing is written when absent. */
  readonly outDir?: string;
  /** Use the ONNX model when it is present; default true. */
  readonly useModel?: boolean;
  /** Collect budget, ms. */
  readonly budgetMs?: number;
  /** The incident's time when there is no event (`--at`); default: read from the evidence. */
  readonly at?: Date;
  readonly now?: () => Date;
  /** See {@link LocalDepsOptions.alarmTagFilter}. */
  readonly alarmTagFilter?: LocalDepsOptions['alarmTagFilter'];
  /** Namespace and cluster the event and evidence may not name (`--namespace`, `--cluster`); see `DiagnoseInput.context`. */
  readonly context?: { readonly namespace?: string; readonly cluster?: string };
  /** Progress: bytes and lines read of each input, then each stage as it starts. */
  readonly progress?: {
    readonly onRead?: (source: string, bytes: number, lines: number) => void;
    readonly onStage?: (stage: string) => void;
  };
}

export interface LocalDiagnoseResult {
  /** What the use case did (an alarm's OK transition is recorded, not diagnosed). */
  readonly outcome: DiagnoseOutcome;
  /** The diagnosis, when the incident was diagnosed. */
  readonly diagnosis?: Diagnosis;
  /** Keys written under `outDir` (empty when nothing was written). */
  readonly writtenKeys: readonly string[];
  /** False when `outDir` already held a diagnosis with this id (a rerun): nothing was overwritten. */
  readonly created: boolean;
  /**
   * Why the diagnosis could not be written under `outDir` (it was still produced and can be
   * printed); absent when writing succeeded or was not asked.
   */
  readonly writeError?: Error;
  /** Renders the diagnosis (or, when there is none, what happened) in one of the CLI's formats. */
  render(format: OutputFormat, options?: RenderOptions): string;
}

/**
 * `mkdir -p` that always ends: Node's `mkdir(dir, { recursive: true })` spins forever (100% CPU)
 * where the parent exists but refuses children with ENOENT, as /proc does (`--out /proc/x`).
 */
async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirs(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/**
 * Checks that `dir` can receive the store layout: it is created when missing, must be a folder and
 * writable. Run before the pipeline, so a bad `--out` costs nothing.
 * @throws InvalidInputError naming `dir` and what is wrong.
 */
export async function checkWritableDir(dir: string): Promise<void> {
  try {
    await makeDirs(path.resolve(dir));
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await access(dir, fsConstants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'is not a folder (or a path under it is a file)' : code === 'EACCES' || code === 'EPERM' ? 'is not writable' : code === 'EROFS' ? 'is on a read-only file system' : describeError(error);
    throw new InvalidInputError(`--out ${path.resolve(dir)}`, `${why}; give another --out, or --no-write`, { code: 'OUTPUT_NOT_WRITABLE', cause: error });
  }
}

/**
 * Runs one local diagnosis end to end through the diagnose use case.
 * @throws InvalidInputError when the event or an evidence file cannot be read at all (the raw
 *   event is quarantined under `<outDir>/quarantine/` first).
 */
export async function diagnoseLocal(options: LocalDiagnoseOptions): Promise<LocalDiagnoseResult> {
  // Inputs and the output folder are checked before the model and runbooks load: a mistake
  // costs nothing but its message.
  if (options.outDir) await checkWritableDir(options.outDir);
  let event: { raw: Uint8Array; input: string; quarantineAs: string } | undefined;
  if (options.eventPath) {
    const input = options.eventPath;
    const read = input === '-' ? await readStdin(MAX_EVENT_BYTES, input) : await readFileBounded(input, MAX_EVENT_BYTES);
    if (read.tooLarge) {
      // Refused, and kept: the first MAX_EVENT_BYTES with the whole input's size and sha256.
      const error = new InvalidInputError(input, `event is ${read.tooLarge.bytes} bytes; events are at most ${MAX_EVENT_BYTES} bytes`, { code: 'INPUT_TOO_LARGE' });
      if (!options.outDir) {
        error.message += ' (the raw event was not kept: --no-write)';
        throw error;
      }
      const head = read.data.toString('utf8');
      const isText = Buffer.from(head, 'utf8').equals(read.data);
      const key = await new DirectoryStore(options.outDir).quarantine({
        payload: isText ? head : read.data.toString('base64'), encoding: isText ? 'utf8' : 'base64', input: `cli:${input}`,
        error: { name: error.name, code: error.code, message: error.message }, receivedAt: new Date().toISOString(), truncated: read.tooLarge,
      });
      error.message += ` (its first ${MAX_EVENT_BYTES} bytes, size and sha256 were kept as ${path.join(options.outDir, key)})`;
      throw error;
    }
    event = { raw: read.data, input, quarantineAs: `cli:${input}` };
  }
  // Evidence the user named is read up front: an unreadable file stops the run with a message
  // naming it (exit 2), instead of quietly becoming a `degraded` entry.
  const evidence = await preloadEvidenceFiles(options.evidencePaths, options.progress?.onRead ? { onProgress: options.progress.onRead } : {});
  const deps = await localDiagnoseDeps({ outDir: options.outDir, kbDirs: options.kbDirs, useModel: options.useModel, budgetMs: options.budgetMs, now: options.now, alarmTagFilter: options.alarmTagFilter });
  let quarantined: string | undefined;
  let composed: Diagnosis | undefined;
  let outcome: DiagnoseOutcome;
  let writeError: Error | undefined;
  try {
    outcome = await diagnoseEvent({
      ...(event ? { event } : {}), evidence, ...(options.at ? { at: options.at } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(options.progress?.onStage ? { onStage: options.progress.onStage } : {}),
      onQuarantined: (key) => { quarantined = key; },
      onDiagnosis: (d) => { composed = d; },
    }, deps);
  } catch (error) {
    if (composed) {
      // Diagnosed, but not written: the report is still shown; the caller says why it was not kept.
      writeError = error instanceof Error ? error : new Error(String(error));
      outcome = { status: 'diagnosed', incident: { id: composed.id } as Incident, incidentId: composed.id, created: false, degraded: composed.degraded.length, diagnosis: composed };
    } else {
      if (event && error instanceof OpsAssistantError) {
        error.message += quarantined && options.outDir ? ` (the raw event was kept as ${path.join(options.outDir, quarantined)})` : ' (the raw event was not kept: --no-write)';
      }
      throw error;
    }
  }
  const diagnosis = outcome.status === 'diagnosed' ? outcome.diagnosis : undefined;
  const key = outcome.status === 'diagnosed' ? outcome.key : undefined;
  return {
    outcome,
    ...(diagnosis ? { diagnosis } : {}),
    writtenKeys: key !== undefined ? [key] : [],
    created: outcome.status === 'diagnosed' && outcome.created,
    ...(writeError ? { writeError } : {}),
    render(format, renderOptions = {}) {
      if (!diagnosis) return renderOutcome(outcome, format);
      switch (format) {
        case 'json': return `${jsonText(diagnosis, 2)}\n`;
        case 'yaml': return yamlText(diagnosis);
        case 'markdown': return renderMarkdown(diagnosis);
        case 'html': return deps.delivery?.renderHtml?.(diagnosis) ?? renderHtml(diagnosis);
        default: {
          const style = renderOptions.color ? ansiStyle() : undefined;
          return renderOptions.summary
            ? renderSummary(diagnosis, renderOptions.width, style)
            : renderText(diagnosis, renderOptions.width, style);
        }
      }
    },
  };
}
/**
 * A document as YAML 1.2 (the `yaml` package), from its JSON form: the same keys and values as
 * `-o json`, with the control characters `jsonText` escapes escaped alike.
 */
function yamlText(document: unknown): string {
  return YAML.stringify(JSON.parse(jsonText(document)), { lineWidth: 0 });
}

/** ANSI colours for the text report (picocolors), used only when the CLI says the terminal takes them. */
function ansiStyle(): TextStyle {
  const c = picocolors.createColors(true);
  return { heading: c.bold, lead: (s) => c.bold(c.red(s)), command: c.cyan, dim: c.dim };
}

/** What happened to an incident that was not diagnosed, as the CLI prints it. */
function renderOutcome(outcome: DiagnoseOutcome, format: OutputFormat): string {
  const { incident, ...rest } = outcome;
  const document = { ...rest, incident: { id: incident.id, title: incident.title, state: incident.state, occurredAt: incident.occurredAt } };
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  if (format === 'yaml') return yamlText(document);
  const what = outcome.status === 'ok-recorded'
    ? `alarm ${incident.alarm?.name ?? incident.title} went back to OK at ${incident.occurredAt}; ${outcome.incidentId ? `recorded on the open incident ${outcome.incidentId}` : 'no open incident to record it on'}`
    : outcome.status === 'folded'
      ? `a repeated ALARM transition, folded into the open incident ${outcome.incidentId} (${outcome.count} transitions)`
      : outcome.status === 'ignored' ? outcome.reason : '';
  return `Not diagnosed: ${what}.\n`;
}

/**
 * Diagnoses evidence texts as `ops-assistant diagnose --evidence … --no-write` does without an
 * event: the incident's time, subject and id come from the evidence (see
 * `core/diagnose/evidence-incident.ts`), nothing is written. For evaluations.
 * @example
 * const d = await diagnoseEvidenceTexts([{ name: 'pod.txt', text }], { useModel: false });
 */
export async function diagnoseEvidenceTexts(
  texts: ReadonlyArray<{ readonly name: string; readonly text: string }>,
  options: Pick<LocalDepsOptions, 'kbDirs' | 'useModel' | 'now'> & { readonly at?: Date } = {},
): Promise<Diagnosis> {
  const deps = await localDiagnoseDeps({ kbDirs: options.kbDirs, useModel: options.useModel, now: options.now });
  const evidence: EvidenceDocument[] = texts.map(({ name, text }) => ({
    name: `file:${name}`, source: name, parts: parseEvidenceText(text, name), sha256: sha256Text(text),
  }));
  const outcome = await diagnoseEvent({ evidence, ...(options.at ? { at: options.at } : {}) }, deps);
  if (outcome.status !== 'diagnosed' || !outcome.diagnosis) throw new InvalidInputError('evidence', `was not diagnosed (${outcome.status})`);
  return outcome.diagnosis;
}

/** An event read with a bound: over it, `data` is the first `maxBytes` and `tooLarge` the whole input's size and sha256. */
interface BoundedRead {
  readonly data: Buffer;
  readonly tooLarge?: { readonly bytes: number; readonly sha256: string };
}

/** Most bytes of an oversized input read through to measure and hash it (then it is only "over 1 GiB"). */
const MAX_HASHED_BYTES = 1024 ** 3;

async function readBounded(chunks: AsyncIterable<Buffer | string>, maxBytes: number): Promise<BoundedRead> {
  const kept: Buffer[] = [];
  let size = 0;
  const hash = createHash('sha256');
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (size < maxBytes) kept.push(chunk.subarray(0, maxBytes - size));
    size += chunk.length;
    hash.update(chunk);
    if (size > MAX_HASHED_BYTES) break;
  }
  const data = Buffer.concat(kept);
  return size > maxBytes ? { data, tooLarge: { bytes: size, sha256: hash.digest('hex') } } : { data };
}

async function readFileBounded(file: string, maxBytes: number): Promise<BoundedRead> {
  try {
    return await readBounded(createReadStream(file), maxBytes);
  } catch (error) {
    throw new InvalidInputError(file, `cannot read the event file (${describeError(error)})`, { cause: error });
  }
}

async function readStdin(maxBytes: number, _input: string): Promise<BoundedRead> {
  return readBounded(process.stdin, maxBytes);
}

/** Options of {@link localAskDeps}. */
export interface LocalAskOptions {
  /** Store root (diagnoses, plans, audit); default `out`. */
  readonly outDir?: string;
  /** Evidence files that stand for the live system when a question needs collection. */
  readonly evidencePaths?: readonly string[];
  readonly kbDirs?: readonly string[];
  readonly useModel?: boolean;
  readonly now?: () => Date;
  /** How the answers tell this entry point's user to give evidence; default {@link CLI_EVIDENCE_HINT}. */
  readonly evidenceHint?: string;
  /** ARN of the incident SNS topic that written alarms notify; default the `INCIDENT_TOPIC_ARN` environment variable. */
  readonly incidentTopicArn?: string;
  /** Plans are answered but kept in this process only, never written (`ops-assistant mcp`, read-only); default false. */
  readonly proposalsOnly?: boolean;
}

/** The CLI's way to give evidence, as the answers name it ("To check X, …"). */
export const CLI_EVIDENCE_HINT = 'run again with --evidence FILE (its logs, `kubectl describe` or `kubectl get events` output)';

/**
 * The ask use case's dependencies over local adapters: runbooks, the directory store, plans and
 * audit under `outDir`, CDK synthesis, and, when `evidencePaths` are given, the diagnose use
 * case over them (nothing written: ask only reads the diagnosis).
 */
export async function localAskDeps(options: LocalAskOptions = {}): Promise<AskDeps> {
  const outDir = options.outDir ?? 'out';
  const runbooks = await runbookIndexFor(options.kbDirs ?? [], options.useModel);
  const evidence = options.evidencePaths ?? [];
  const diagnose = evidence.length === 0 ? undefined : await askDiagnose({ liveEvidencePaths: evidence, kbDirs: options.kbDirs, useModel: options.useModel, now: options.now });
  const store = new DirectoryStore(outDir);
  return {
    runbooks,
    store,
    plans: options.proposalsOnly ? new ProposalPlanStore() : new DirectoryPlanStore(outDir),
    iac: new CdkIacSynthesizer(),
    now: options.now,
    intents: options.useModel === false ? undefined : await loadLocalIntentClassifier().catch(() => undefined),
    knownNames: async () => {
      const page = await store.list({ limit: 100 }).catch(() => ({ items: [] as Array<{ resources: readonly string[] }> }));
      return workloadNames([...evidenceNames(evidence), ...page.items.flatMap((i) => i.resources)]);
    },
    diagnose,
    collect: evidence.length === 0
      ? undefined
      : (incident: Incident) => collect(incident, evidence.map((p) => fileCollector(p)), { budgetMs: 10_000 }),
    evidenceHint: options.evidenceHint ?? CLI_EVIDENCE_HINT,
    ...(options.incidentTopicArn ?? process.env.INCIDENT_TOPIC_ARN ? { incidentTopicArn: options.incidentTopicArn ?? process.env.INCIDENT_TOPIC_ARN } : {}),
  };
}

/** Ask's diagnose path: the diagnose use case on an incident ask built from the question. */
async function askDiagnose(options: LocalDepsOptions): Promise<(incident: Incident) => Promise<Diagnosis>> {
  const deps = await localDiagnoseDeps(options);
  return async (incident) => {
    const outcome = await diagnoseEvent({ incident, notify: false, returnStored: true }, deps);
    if (outcome.status !== 'diagnosed' || !outcome.diagnosis) throw new InvalidInputError('question', `was not diagnosed (${outcome.status})`);
    return outcome.diagnosis;
  };
}

/** Options of {@link diagnoseInputs}. */
export interface DiagnoseInputsOptions {
  /** The event as JSON text (an alarm, EventBridge, SNS or API Gateway payload); `eventName` labels it in messages. */
  readonly eventText?: string;
  readonly eventName?: string;
  /** Path of an event JSON file (not `-`: stdin is never read). */
  readonly eventPath?: string;
  /** Evidence given as text: `name` is how its lines are quoted (`name:line`). */
  readonly evidenceTexts?: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  /** Evidence files (not `-`). */
  readonly evidencePaths?: readonly string[];
  readonly kbDirs?: readonly string[];
  readonly useModel?: boolean;
  /** The incident's time when there is no event; default: read from the evidence. */
  readonly at?: Date;
  readonly now?: () => Date;
}

/**
 * Runs the diagnose use case on an event and evidence given as text or as files, writing
 * nothing (no store, no message): the read-only path of `ops-assistant mcp`.
 * @throws InvalidInputError when an input is `-`, an event is over {@link MAX_EVENT_BYTES}, or a
 *   file cannot be read (the message names it); whatever the use case throws for an unreadable event.
 * @example
 *   const outcome = await diagnoseInputs({ evidenceTexts: [{ name: 'pod.txt', text }], useModel: false });
 */
export async function diagnoseInputs(options: DiagnoseInputsOptions): Promise<DiagnoseOutcome> {
  for (const p of [options.eventPath, ...(options.evidencePaths ?? [])]) {
    if (p === '-') throw new InvalidInputError('-', 'stdin cannot be read here: give a file path or the text itself', { code: 'INVALID_ARGUMENT' });
  }
  if (options.eventPath !== undefined && options.eventText !== undefined) throw new InvalidInputError('event', 'give the event as text or as a path, not both', { code: 'INVALID_ARGUMENT' });
  const deps = await localDiagnoseDeps({ kbDirs: options.kbDirs, useModel: options.useModel, now: options.now });
  let event: { raw: Uint8Array; input: string; quarantineAs: string } | undefined;
  if (options.eventPath !== undefined || options.eventText !== undefined) {
    const input = options.eventPath ?? options.eventName ?? 'event';
    const data = options.eventPath !== undefined ? await readFileBounded(options.eventPath, MAX_EVENT_BYTES) : { data: Buffer.from(options.eventText!, 'utf8') };
    const bytes = 'tooLarge' in data && data.tooLarge ? data.tooLarge.bytes : data.data.length;
    if (bytes > MAX_EVENT_BYTES) throw new InvalidInputError(input, `event is ${bytes} bytes; events are at most ${MAX_EVENT_BYTES} bytes`, { code: 'INPUT_TOO_LARGE' });
    event = { raw: data.data, input, quarantineAs: `mcp:${input}` };
  }
  const evidence: EvidenceDocument[] = [
    ...await preloadEvidenceFiles(options.evidencePaths ?? []),
    ...(options.evidenceTexts ?? []).map(({ name, text }) => ({ name: `file:${name}`, source: name, parts: parseEvidenceText(text, name), sha256: sha256Text(text) })),
  ];
  return diagnoseEvent({ ...(event ? { event } : {}), evidence, ...(options.at ? { at: options.at } : {}) }, deps);
}

const runbookDocuments = new Map<string, Promise<RunbookDocument[]>>();

/**
 * The runbook documents the retrieve stage indexes: the bundled `knowledge-base/` and each of
 * `extraDirs`, with paths prefixed by their root's name (`bundled/oom-and-memory.md`). Memoised
 * per folder list; a folder that cannot be read throws {@link InvalidInputError} naming it.
 */
export function localRunbookDocuments(extraDirs: readonly string[] = []): Promise<RunbookDocument[]> {
  const key = JSON.stringify(extraDirs);
  let docs = runbookDocuments.get(key);
  if (!docs) {
    docs = (async () => {
      const sources = [runbookFolderSource(BUNDLED_KB_DIR, 'bundled'), ...extraDirs.map((dir) => {
        if (!existsSync(dir)) throw new InvalidInputError(dir, 'runbook folder (--kb) does not exist');
        return runbookFolderSource(dir, path.basename(path.resolve(dir)));
      })];
      return (await Promise.all(sources.map((s) => s.load()))).flat();
    })();
    docs.catch(() => runbookDocuments.delete(key));
    runbookDocuments.set(key, docs);
  }
  return docs;
}

/** Options of {@link localApiRuntime}. */
export interface LocalApiOptions extends LocalAskOptions {
  /** Executes approved plans (`POST /v1/plans/{id}/approve`); default false. */
  readonly approvalsEnabled?: boolean;
  /** A Kubernetes API server for dry runs and approved plans (`--kube-endpoint`), with a bearer token. */
  readonly kubernetes?: { readonly endpoint: string; readonly token: string; readonly caPem?: string };
  /** See {@link LocalDepsOptions.alarmTagFilter}. */
  readonly alarmTagFilter?: LocalDepsOptions['alarmTagFilter'];
}

/**
 * The API routes' runtime over local adapters, for `ops-assistant serve`: the diagnose use case
 * over the directory store under `outDir` (no notification), evidence files standing for the
 * live system.
 */
export async function localApiRuntime(options: LocalApiOptions = {}): Promise<ApiRuntime> {
  const outDir = options.outDir ?? 'out';
  const store = new DirectoryStore(outDir);
  const askBase = await localAskDeps(options);
  const kubernetes = options.kubernetes
    ? new KubernetesApiClient({ endpoint: options.kubernetes.endpoint, token: async () => options.kubernetes!.token, caPem: options.kubernetes.caPem })
    : undefined;
  const plans = new DirectoryPlanStore(outDir);
  const audit = new DirectoryAuditLog(outDir);
  const deps = { ...await localDiagnoseDeps({ outDir, liveEvidencePaths: options.evidencePaths, kbDirs: options.kbDirs, useModel: options.useModel, now: options.now, notify: false, alarmTagFilter: options.alarmTagFilter }), store };
  return {
    store,
    plans,
    diagnose: () => ({ deps, limits: {} }),
    async askDeps() {
      return { ...askBase, kubernetes, evidenceHint: 'send its logs or kubectl output to POST /v1/diagnoses, or start serve with --evidence FILE' };
    },
    approvals: { enabled: options.approvalsEnabled === true, deps: async () => ({ enabled: options.approvalsEnabled === true, plans, audit, kubernetes, now: options.now }) },
  };
}

/** The directory store under `outDir` (the browse page's `page` command reads it). */
export function localStore(outDir: string): DiagnosisStore {
  return new DirectoryStore(outDir);
}

/** The Kubernetes API at `endpoint`, authenticated with the bearer token `token()` returns (dry runs of ask's plans). */
export function localKubernetesClient(endpoint: string, token: () => Promise<string>): KubernetesApi {
  return new KubernetesApiClient({ endpoint, token });
}
export { APPROVAL_TOKEN_HEADER, allowedHosts, checkRequest, newApprovalToken, securityHeaders, type RequestGuardOptions } from '../adapters/http/request-guard.js';

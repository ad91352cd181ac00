/**
 * Composition root of the local mode (CLI and `serve`): wires local adapters (files, stdin, a
 * directory store, a file notifier, runbook folders, the ONNX model from `models/`) to the core.
 * Built pieces that are costly (runbook index, model) are memoised per process.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnosis } from '../core/model/diagnosis.js';
import type { Incident } from '../core/model/incident.js';
import { InvalidInputError, OpsAssistantError, describeError } from '../core/model/errors.js';
import type { CategoryClassifier, TextEmbedder } from '../core/ports/model.port.js';
import type { DiagnosisStore } from '../core/ports/diagnosis-store.port.js';
import { digest, runPipeline } from '../core/pipeline.js';
import { collect } from '../core/stages/collect/index.js';
import { normalizeEvent, parseEventJson, manualIncident, MAX_EVENT_BYTES } from '../core/stages/normalize/index.js';
import { RunbookIndex } from '../core/stages/retrieve/index.js';
import { renderMarkdown, renderText } from '../core/stages/compose/index.js';
import { deliver } from '../core/stages/deliver/index.js';
import { renderHtml } from '../core/stages/compose/html/index.js';
import { fileCollector, preloadEvidenceFiles } from '../adapters/local/evidence-file.collector.js';
import { runbookFolderSource } from '../adapters/local/runbook-folder.source.js';
import { DirectoryStore } from '../adapters/local/directory-store.js';
import { FileNotifier } from '../adapters/local/file-notifier.js';
import { DirectoryAuditLog, DirectoryPlanStore } from '../adapters/local/plan-store.js';
import { KubernetesApiClient } from '../adapters/kubernetes/kubernetes-api.client.js';
import type { ApiRuntime } from '../handlers/api-routes.js';
import { CdkIacSynthesizer } from '../adapters/cdk/iac-synthesizer.js';
import type { AskDeps } from '../core/ask/index.js';

/** Repository root (where `knowledge-base/`, `models/` and `examples/` live). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundled runbooks. */
export const BUNDLED_KB_DIR = path.join(REPO_ROOT, 'knowledge-base');
/** Where `models/manifest.json` lives. */
export const MODELS_DIR = path.join(REPO_ROOT, 'models');
/** Default model id in the manifest. */
export const DEFAULT_MODEL_ID = 'ops-encoder';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'html';

export interface LocalDiagnoseOptions {
  /** Path of the event JSON, or `-` for stdin; none for a manual incident. */
  readonly eventPath?: string;
  /** Evidence files (or `-` for stdin). */
  readonly evidencePaths: readonly string[];
  /** Extra runbook folders. */
  readonly kbDirs?: readonly string[];
  /** Store root; nothing is written when absent (except quarantine, which then goes to `out/`). */
  readonly outDir?: string;
  /** Use the ONNX model when it is present; default true. */
  readonly useModel?: boolean;
  /** Collect budget, ms. */
  readonly budgetMs?: number;
  readonly now?: () => Date;
}

export interface LocalDiagnoseResult {
  readonly diagnosis: Diagnosis;
  /** Keys written under `outDir` (empty when nothing was written). */
  readonly writtenKeys: readonly string[];
  /** False when `outDir` already held a diagnosis with this id (a rerun): nothing was overwritten. */
  readonly created: boolean;
  /** Renders the diagnosis in one of the CLI's formats. */
  render(format: OutputFormat): string;
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

/** Runbook index with dense retrieval when the model is used and loads; BM25 alone otherwise. */
async function runbookIndexFor(kbDirs: readonly string[], useModel: boolean | undefined): Promise<RunbookIndex> {
  const embedder = useModel === false ? undefined : await loadLocalEmbedder().catch(() => undefined);
  return loadRunbookIndex(kbDirs, embedder);
}

/** Reads the event (file or stdin) and normalizes it; on failure the raw input is quarantined. */
async function readIncident(options: LocalDiagnoseOptions, store: DiagnosisStore): Promise<Incident> {
  if (!options.eventPath) {
    return manualIncident({
      input: 'cli',
      seed: digest(options.evidencePaths.map((p) => path.resolve(p))),
      now: options.now?.(),
    });
  }
  const input = options.eventPath;
  const raw = input === '-' ? await readStdin(MAX_EVENT_BYTES, input) : await readFileBounded(input, MAX_EVENT_BYTES);
  try {
    return normalizeEvent(parseEventJson(raw.toString('utf8'), input), { input });
  } catch (error) {
    const utf8 = raw.toString('utf8');
    const isText = Buffer.from(utf8, 'utf8').equals(raw);
    if (!options.outDir) {
      if (error instanceof OpsAssistantError) error.message += ' (the raw event was not kept: --no-write)';
      throw error;
    }
    const key = await store.quarantine({
      payload: isText ? utf8 : raw.toString('base64'),
      encoding: isText ? 'utf8' : 'base64',
      input: `cli:${input}`,
      error: {
        name: error instanceof Error ? error.name : 'Error',
        code: error instanceof OpsAssistantError ? error.code : undefined,
        message: describeError(error),
      },
      receivedAt: new Date().toISOString(),
    });
    if (error instanceof OpsAssistantError) {
      error.message += ` (the raw event was kept as ${path.join(options.outDir, key)})`;
    }
    throw error;
  }
}

async function readFileBounded(file: string, maxBytes: number): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    throw new InvalidInputError(file, `cannot read the event file (${describeError(error)})`, { cause: error });
  }
  if (data.length > maxBytes) throw new InvalidInputError(file, `event is ${data.length} bytes; events are at most ${maxBytes} bytes`, { code: 'INPUT_TOO_LARGE' });
  return data;
}

async function readStdin(maxBytes: number, input: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new InvalidInputError(input, `event on stdin exceeds ${maxBytes} bytes`, { code: 'INPUT_TOO_LARGE' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Runs one local diagnosis end to end.
 * @throws InvalidInputError when the event or an evidence file cannot be read at all (the raw
 *   event is quarantined under `<outDir>/quarantine/` first).
 */
export async function diagnoseLocal(options: LocalDiagnoseOptions): Promise<LocalDiagnoseResult> {
  const store = new DirectoryStore(options.outDir ?? 'out');
  const incident = await readIncident(options, store);
  const modelNotes: string[] = [];
  const classifier = options.useModel === false
    ? undefined
    : await loadLocalClassifier((reason) => modelNotes.push(reason)).catch((error) => {
        modelNotes.push(`model could not be loaded: ${describeError(error)}`);
        return undefined;
      });
  // Evidence the user named is read up front: an unreadable file stops the run with a message
  // naming it (exit 2), instead of quietly becoming a `degraded` entry.
  const collectors = await preloadEvidenceFiles(options.evidencePaths);
  const runbooks = await runbookIndexFor(options.kbDirs ?? [], options.useModel);
  const diagnosis0 = await runPipeline(incident, {
    collectors,
    runbooks,
    classifier,
    budgetMs: options.budgetMs,
    now: options.now,
  });
  const diagnosis: Diagnosis = modelNotes.length
    ? { ...diagnosis0, degraded: [...diagnosis0.degraded, ...modelNotes.map((reason) => ({ component: 'infer:model', kind: 'skipped' as const, reason }))] }
    : diagnosis0;

  const writtenKeys: string[] = [];
  let created = false;
  if (options.outDir) {
    const delivered = await deliver(diagnosis, {
      store,
      notifier: new FileNotifier({ dir: path.join(options.outDir, 'messages') }),
      renderHtml,
    });
    writtenKeys.push(delivered.key);
    created = delivered.created;
  }
  return {
    diagnosis,
    writtenKeys,
    created,
    render(format) {
      switch (format) {
        case 'json': return `${JSON.stringify(diagnosis, null, 2)}\n`;
        case 'markdown': return renderMarkdown(diagnosis);
        case 'html': return renderHtml(diagnosis);
        default: return renderText(diagnosis);
      }
    },
  };
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
}

/** The CLI's way to give evidence, as the answers name it ("To check X, …"). */
export const CLI_EVIDENCE_HINT = 'run again with --evidence FILE (its logs, `kubectl describe` or `kubectl get events` output)';

/**
 * The ask use case's dependencies over local adapters: runbooks, the directory store, plans and
 * audit under `outDir`, the pipeline over `evidencePaths` (when given), and CDK synthesis.
 */
export async function localAskDeps(options: LocalAskOptions = {}): Promise<AskDeps> {
  const outDir = options.outDir ?? 'out';
  const runbooks = await runbookIndexFor(options.kbDirs ?? [], options.useModel);
  const evidence = options.evidencePaths ?? [];
  const classifier = options.useModel === false ? undefined : await loadLocalClassifier(() => {}).catch(() => undefined);
  return {
    runbooks,
    store: new DirectoryStore(outDir),
    plans: new DirectoryPlanStore(outDir),
    iac: new CdkIacSynthesizer(),
    now: options.now,
    diagnose: evidence.length === 0
      ? undefined
      : (incident: Incident) => runPipeline(incident, { collectors: evidence.map((p) => fileCollector(p)), runbooks, classifier, now: options.now }),
    collect: evidence.length === 0
      ? undefined
      : (incident: Incident) => collect(incident, evidence.map((p) => fileCollector(p)), { budgetMs: 10_000 }),
    evidenceHint: options.evidenceHint ?? CLI_EVIDENCE_HINT,
    ...(options.incidentTopicArn ?? process.env.INCIDENT_TOPIC_ARN ? { incidentTopicArn: options.incidentTopicArn ?? process.env.INCIDENT_TOPIC_ARN } : {}),
  };
}

/** Options of {@link localApiRuntime}. */
export interface LocalApiOptions extends LocalAskOptions {
  /** Executes approved plans (`POST /v1/plans/{id}/approve`); default false. */
  readonly approvalsEnabled?: boolean;
  /** A Kubernetes API server for dry runs and approved plans (`--kube-endpoint`), with a bearer token. */
  readonly kubernetes?: { readonly endpoint: string; readonly token: string; readonly caPem?: string };
}

/**
 * The API routes' runtime over local adapters, for `ops-assistant serve`: diagnoses go to the
 * directory store under `outDir` (no notification), evidence files stand for the live system.
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
  const classifier = options.useModel === false ? undefined : await loadLocalClassifier(() => {}).catch(() => undefined);
  const evidence = options.evidencePaths ?? [];
  return {
    config: {},
    store,
    async diagnose(incident) {
      // A submission that carries its own evidence is diagnosed on that alone; the evidence
      // files stand for the live system only when the submission brings none.
      const collectors = incident.inlineEvidence?.length ? [] : evidence.map((p) => fileCollector(p));
      const diagnosis = await runPipeline(incident, { collectors, runbooks: askBase.runbooks, classifier, now: options.now });
      const delivered = await deliver(diagnosis, { store, renderHtml });
      return { diagnosis, delivered };
    },
    async askDeps() {
      return { ...askBase, kubernetes, evidenceHint: 'send its logs or kubectl output to POST /v1/diagnoses, or start serve with --evidence FILE' };
    },
    approvals: { enabled: options.approvalsEnabled === true, deps: async () => ({ enabled: options.approvalsEnabled === true, plans, audit, kubernetes, now: options.now }) },
  };
}

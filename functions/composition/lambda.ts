/**
 * Composition root of the three Lambda functions: reads configuration from the environment,
 * builds SDK clients, the runbook index and the (optional) ONNX classifier once per process, and
 * hands the diagnose use case (`core/diagnose`) its dependencies for each invocation; the
 * handlers drive it.
 *
 * Environment (names owned by `environment.ts`, which `infra/` reads too): `DIAGNOSES_BUCKET` and `INCIDENT_TOPIC_ARN` (required); `MODEL_DIR` (the models root
 * with `manifest.json`, or one model folder inside it), `MODEL_ID`,
 * `KNOWLEDGE_PREFIX` (runbooks in the diagnoses bucket), `KNOWLEDGE_BASE_DIR` (bundled runbooks;
 * default `knowledge-base/` beside the code), `RUNBOOK_INDEX_FILE` (prebuilt index of the bundled
 * runbooks; default `runbook-index.json` beside the bundle or in `LAMBDA_TASK_ROOT`, written by
 * `npm run build:runbook-index`; used when it matches the bundled runbooks, else the index is built), `LOG_LOOKBACK_MINUTES`, `CLUSTER_NAME`, `KMS_KEY_ID`,
 * `STORM_WINDOW_MINUTES` (default 30), `LOG_GROUPS_BY_ALARM` (JSON `{ "<alarm>": ["<log group>"] }`),
 * `AWS_MAX_ATTEMPTS` (default 3), `APPROVE_ENABLED` (`true` to execute approved plans),
 * `ALARM_TAG_FILTER` (`key=value,…`: the alarm handler diagnoses only alarms carrying every one of
 * these tags, read with `cloudwatch:ListTagsForResource`; see `cloudwatch-alarm-tags.filter.ts`),
 * `BROWSE_URL` (HTTPS address serving the bucket's layout; e-mails then link reports there
 * instead of the S3 console).
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables; nothing here knows about test servers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import type { Incident } from '../core/model/incident.js';
import type { Degradation } from '../core/model/evidence.js';
import { OpsAssistantError, describeError } from '../core/model/errors.js';
import type { Collector } from '../core/ports/collector.port.js';
import type { CategoryClassifier } from '../core/ports/model.port.js';
import type { RunbookDocument } from '../core/ports/runbook-source.port.js';
import { diagnoseEvent, type DiagnoseObserver } from '../core/diagnose/index.js';
import type { DiagnoseBinding, InvocationContext } from '../core/ports/api.port.js';
import { collect } from '../core/stages/collect/index.js';
import { RunbookIndex } from '../core/stages/retrieve/index.js';
import { diagnosisKey } from '../core/stages/deliver/index.js';
import { renderHtml, runbookHrefFromRoots, runbookPassageLookup } from '../core/stages/compose/html/index.js';
import { runbookFolderSource } from '../adapters/local/runbook-folder.source.js';
import { S3DiagnosisStore } from '../adapters/aws/s3-diagnosis.store.js';
import { S3AlarmStormGuard } from '../adapters/aws/s3-alarm-storm.guard.js';
import { SnsNotifier } from '../adapters/aws/sns.notifier.js';
import { CloudWatchLogsCollector } from '../adapters/aws/cloudwatch-logs.collector.js';
import { CloudWatchMetricsCollector } from '../adapters/aws/cloudwatch-metrics.collector.js';
import { EksCollector } from '../adapters/aws/eks.collector.js';
import { PriorDiagnosesCollector } from '../adapters/aws/prior-diagnoses.collector.js';
import { S3AuditLog, S3PlanStore } from '../adapters/aws/s3-plan.store.js';
import { EksKubernetesApi } from '../adapters/aws/eks-kubernetes.api.js';
import type { AskDeps } from '../core/ask/answer.js';
import type { IntentClassifier } from '../core/ask/ports.js';
import { workloadNames } from '../core/ask/understand.js';
import type { ApproveDeps } from '../core/ask/approve.js';
import { S3RunbookSource } from '../adapters/aws/s3-runbook.source.js';
import { loadPrebuiltRunbookIndex, PREBUILT_RUNBOOK_INDEX_FILE, type RunbookIndexOrigin } from '../adapters/aws/prebuilt-runbook-index.js';
import { CloudWatchAlarmTagFilter, parseAlarmTagFilter, type AlarmTagRequirement } from '../adapters/aws/cloudwatch-alarm-tags.filter.js';
import { ENV, type EnvName } from './environment.js';

export type { InvocationContext } from '../core/ports/api.port.js';

/** A required variable is missing or a variable is malformed. */
export class ConfigurationError extends OpsAssistantError {
  constructor(message: string) {
    super('CONFIGURATION', message);
    this.name = 'ConfigurationError';
  }
}

/** The functions' configuration, read from the environment. */
export interface LambdaConfig {
  readonly bucket: string;
  readonly topicArn: string;
  /** `CHAT_TOPIC_ARN`: where chat notifications go (Amazon Q Developer in chat applications); none: no chat notification. */
  readonly chatTopicArn?: string;
  readonly modelDir?: string;
  readonly modelId: string;
  readonly knowledgePrefix?: string;
  readonly knowledgeBaseDir?: string;
  /** `RUNBOOK_INDEX_FILE`: the prebuilt runbook index to try first. */
  readonly runbookIndexFile?: string;
  readonly lookbackMinutes?: number;
  readonly clusterName?: string;
  readonly kmsKeyId?: string;
  /** Storm window, ms. */
  readonly stormWindowMs: number;
  readonly logGroupsByAlarm: Readonly<Record<string, readonly string[]>>;
  readonly maxAttempts: number;
  /** `POST /v1/plans/{id}/approve` executes plans only when `APPROVE_ENABLED=true`; default off. */
  readonly approvalsEnabled: boolean;
  /** `ALARM_TAG_FILTER`: tags an alarm must all carry to be diagnosed; empty = no filter. */
  readonly alarmTagFilter: readonly AlarmTagRequirement[];
  /** `BROWSE_URL`, normalised to end with `/`: where people open reports; none: the S3 console. */
  readonly browseUrl?: string;
}

/**
 * Reads a browse URL: an absolute `https:` URL without query, fragment or credentials; the
 * result ends with `/` so that store keys append to it.
 * @throws ConfigurationError naming `name` and what is wrong.
 */
export function parseBrowseUrl(raw: string | undefined, name: string = ENV.browseUrl): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`environment variable ${name} must be an absolute https:// URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') throw new ConfigurationError(`environment variable ${name} must be an https:// URL (reports hold incident data), got ${JSON.stringify(value)}`);
  if (url.search || url.hash || url.username || url.password) throw new ConfigurationError(`environment variable ${name} must not carry a query, fragment or credentials, got ${JSON.stringify(value)}`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The address of store `key` under a browse URL (each path segment percent-encoded). */
export function browseReportUrl(browseUrl: string, key: string): string {
  return `${browseUrl}${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Reads {@link LambdaConfig} from `env`.
 * @throws ConfigurationError naming the variable that is missing or malformed.
 */
export function readLambdaConfig(env: NodeJS.ProcessEnv = process.env): LambdaConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigurationError(`environment variable ${name} is required`);
    return value;
  };
  const optional = (name: EnvName): string | undefined => env[name]?.trim() || undefined;
  const positive = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigurationError(`environment variable ${name} must be a positive number, got ${JSON.stringify(raw)}`);
    return n;
  };
  let logGroupsByAlarm: Record<string, string[]> = {};
  const logGroups = env[ENV.logGroupsByAlarm];
  if (logGroups?.trim()) {
    try {
      logGroupsByAlarm = JSON.parse(logGroups) as Record<string, string[]>;
    } catch (error) {
      throw new ConfigurationError(`environment variable ${ENV.logGroupsByAlarm} is not JSON: ${describeError(error)}`);
    }
  }
  const browseUrl = parseBrowseUrl(env[ENV.browseUrl]);
  let alarmTagFilter: AlarmTagRequirement[];
  try {
    alarmTagFilter = parseAlarmTagFilter(env[ENV.alarmTagFilter]);
  } catch (error) {
    throw new ConfigurationError(`environment variable ${describeError(error)}`);
  }
  return {
    bucket: required(ENV.bucket),
    topicArn: required(ENV.topicArn),
    chatTopicArn: optional(ENV.chatTopicArn),
    modelDir: optional(ENV.modelDir),
    modelId: optional(ENV.modelId) ?? 'ops-encoder',
    knowledgePrefix: optional(ENV.knowledgePrefix),
    knowledgeBaseDir: optional(ENV.knowledgeBaseDir),
    runbookIndexFile: optional(ENV.runbookIndexFile),
    lookbackMinutes: positive(ENV.lookbackMinutes),
    clusterName: optional(ENV.clusterName),
    kmsKeyId: optional(ENV.kmsKeyId),
    stormWindowMs: (positive(ENV.stormWindowMinutes) ?? 30) * 60_000,
    logGroupsByAlarm,
    maxAttempts: positive(ENV.maxAttempts) ?? 3,
    approvalsEnabled: optional(ENV.approveEnabled)?.toLowerCase() === 'true',
    alarmTagFilter,
    ...(browseUrl ? { browseUrl } : {}),
  };
}

/** Time kept back for delivery after collection, ms. */
const DELIVERY_RESERVE_MS = 4000;
/** Collection budget when the remaining time is large, ms. */
const MAX_COLLECT_BUDGET_MS = 25_000;

/** Everything built once per process. */
export interface LambdaRuntime {
  readonly config: LambdaConfig;
  readonly clients: { readonly s3: S3Client; readonly sns: SNSClient; readonly logs: CloudWatchLogsClient; readonly cloudwatch: CloudWatchClient; readonly eks: EKSClient };
  readonly store: S3DiagnosisStore;
  readonly notifier: SnsNotifier;
  /** Publishes chat notifications to `CHAT_TOPIC_ARN`; absent when it is not set. */
  readonly chatNotifier?: SnsNotifier;
  readonly stormGuard: S3AlarmStormGuard;
  /** The plans `/v1/ask` proposes, under `plans/` in the bucket (`GET /v1/plans/{id}` reads them). */
  readonly plans: S3PlanStore;
  readonly runbooks: RunbookIndex;
  /** Whether the runbook index was restored from the prebuilt file or built (and why). */
  readonly runbookIndexOrigin: RunbookIndexOrigin;
  /** Time spent building this runtime, ms: all of it, and reading + indexing the runbooks. */
  readonly startupMs: { readonly total: number; readonly runbooks: number };
  readonly classifier?: CategoryClassifier;
  /** The alarm-tag filter, when `ALARM_TAG_FILTER` is set. */
  readonly alarmTagFilter?: CloudWatchAlarmTagFilter;
  /** Problems met while starting (model or runbooks unavailable), added to every diagnosis. */
  readonly startupDegraded: readonly Degradation[];
  /** The collectors for an incident: logs, metrics (alarms), EKS (when a cluster is known), prior diagnoses. */
  collectorsFor(incident: Incident): Collector[];
  /**
   * The diagnose use case's dependencies over this runtime (S3 store and storm guard, the alarm
   * tag filter, SNS, the collectors, the model with its startup problems) and the invocation's
   * limits: the collect budget and a signal derived from its remaining time.
   */
  diagnose(context: InvocationContext, observer?: DiagnoseObserver): DiagnoseBinding;
  /** The ask use case over this runtime: runbooks, S3 store and plans, the pipeline, EKS dry runs. */
  askDeps(context: InvocationContext): Promise<AskDeps>;
  /** Plan approval (off unless `APPROVE_ENABLED=true`): S3 plans and audit log, the EKS cluster. */
  readonly approvals: { readonly enabled: boolean; deps(): Promise<ApproveDeps> };
}

/** Candidate folders of the bundled runbooks: configured, the Lambda task root, beside the source. */
function bundledKnowledgeBase(config: LambdaConfig): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    config.knowledgeBaseDir,
    process.env.LAMBDA_TASK_ROOT ? path.join(process.env.LAMBDA_TASK_ROOT, 'knowledge-base') : undefined,
    path.join(here, 'knowledge-base'),
    path.join(here, '..', '..', 'knowledge-base'),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(dir));
}

/** Candidate prebuilt index files: configured, beside the bundle, in the Lambda task root. */
function prebuiltIndexFile(config: LambdaConfig): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    config.runbookIndexFile,
    path.join(here, PREBUILT_RUNBOOK_INDEX_FILE),
    process.env.LAMBDA_TASK_ROOT ? path.join(process.env.LAMBDA_TASK_ROOT, PREBUILT_RUNBOOK_INDEX_FILE) : undefined,
  ];
  return candidates.find((file): file is string => !!file && existsSync(file));
}

/**
 * The runbook index: the prebuilt file when there is one and it was built from exactly the
 * bundled runbooks and no runbooks came from S3; otherwise built from all documents.
 */
async function runbookIndexOf(config: LambdaConfig, bundled: readonly RunbookDocument[], fromS3: readonly RunbookDocument[]): Promise<{ index: RunbookIndex; origin: RunbookIndexOrigin }> {
  const file = prebuiltIndexFile(config);
  let reason = file ? '' : `no ${PREBUILT_RUNBOOK_INDEX_FILE} beside the function`;
  if (file && fromS3.length > 0) reason = `${fromS3.length} runbooks under KNOWLEDGE_PREFIX are not in the prebuilt index`;
  else if (file) {
    const loaded = await loadPrebuiltRunbookIndex(file, bundled);
    if ('index' in loaded) return { index: loaded.index, origin: { kind: 'prebuilt', file } };
    reason = loaded.reason;
  }
  return { index: await RunbookIndex.build([...bundled, ...fromS3]), origin: { kind: 'built', reason } };
}

/**
 * Where the model is: `MODEL_DIR` may be the models root (holding `manifest.json`) or one model's
 * folder inside it (`/opt/models/ops-encoder`: the root is its parent, the id its name unless
 * `MODEL_ID` says otherwise).
 */
export function modelLocation(config: Pick<LambdaConfig, 'modelDir' | 'modelId'>, env: NodeJS.ProcessEnv = process.env): { modelsDir: string; id: string } {
  const dir = config.modelDir!;
  if (existsSync(path.join(dir, 'manifest.json'))) return { modelsDir: dir, id: config.modelId };
  return { modelsDir: path.dirname(dir), id: env[ENV.modelId]?.trim() || path.basename(dir) };
}

/**
 * Builds the runtime from `env` (no memoisation; see {@link lambdaRuntime}).
 * @throws ConfigurationError for missing configuration. A model or runbook that cannot be loaded
 *   does not throw: it is recorded in `startupDegraded`.
 */
export async function createLambdaRuntime(env: NodeJS.ProcessEnv = process.env): Promise<LambdaRuntime> {
  const startedAt = performance.now();
  const config = readLambdaConfig(env);
  const common = {
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 },
  } as const;
  const clients = {
    s3: new S3Client(common),
    sns: new SNSClient(common),
    logs: new CloudWatchLogsClient(common),
    cloudwatch: new CloudWatchClient(common),
    eks: new EKSClient(common),
  };
  const store = new S3DiagnosisStore({ client: clients.s3, bucket: config.bucket, kmsKeyId: config.kmsKeyId, keyOf: diagnosisKey });
  const notifier = new SnsNotifier({ client: clients.sns, topicArn: config.topicArn });
  const chatNotifier = config.chatTopicArn ? new SnsNotifier({ client: clients.sns, topicArn: config.chatTopicArn }) : undefined;
  const stormGuard = new S3AlarmStormGuard({ client: clients.s3, bucket: config.bucket, kmsKeyId: config.kmsKeyId, windowMs: config.stormWindowMs });
  const startupDegraded: Degradation[] = [];

  // The model loads while the runbooks are read: its session is created off the main thread.
  const classifierLoad: Promise<CategoryClassifier | undefined> = config.modelDir
    ? (async () => {
      try {
        const { createClassifier } = await import('../adapters/onnx/index.js');
        return await createClassifier(modelLocation(config));
      } catch (error) {
        startupDegraded.push({ component: 'infer:model', kind: 'error', reason: `model ${config.modelId} in ${config.modelDir} could not be loaded: ${describeError(error)}` });
        return undefined;
      }
    })()
    : Promise.resolve(undefined);

  const runbooksAt = performance.now();
  const bundledDocs: RunbookDocument[] = [];
  const s3Docs: RunbookDocument[] = [];
  const kbDir = bundledKnowledgeBase(config);
  // The root name `bundled` is part of every path, and so of the prebuilt index's fingerprint.
  if (kbDir) bundledDocs.push(...await runbookFolderSource(kbDir, 'bundled').load());
  else startupDegraded.push({ component: 'retrieve', kind: 'skipped', reason: 'the bundled knowledge-base/ folder was not found beside the function' });
  if (config.knowledgePrefix) {
    try {
      s3Docs.push(...await new S3RunbookSource({ client: clients.s3, bucket: config.bucket, prefix: config.knowledgePrefix }).load());
    } catch (error) {
      startupDegraded.push({ component: 'retrieve', kind: 'error', reason: `runbooks under s3://${config.bucket}/${config.knowledgePrefix} could not be read: ${describeError(error)}` });
    }
  }
  const { index: runbooks, origin: runbookIndexOrigin } = await runbookIndexOf(config, bundledDocs, s3Docs);
  const startupMs = { total: 0, runbooks: performance.now() - runbooksAt };

  const classifier = await classifierLoad;

  // The intent model of the ask use case sits beside the category model (`INTENT_MODEL_ID`, default
  // ops-intent); without it the rule parser reads questions. Loaded on the first question, not at
  // start: the alarm and events functions never ask, and their cold start does not pay for it.
  let intentsLoad: Promise<IntentClassifier | undefined> | undefined;
  const intents = (): Promise<IntentClassifier | undefined> => {
    if (!config.modelDir) return Promise.resolve(undefined);
    intentsLoad ??= (async () => {
      const { modelsDir } = modelLocation(config);
      const intentId = process.env.INTENT_MODEL_ID?.trim() || 'ops-intent';
      try {
        const { createIntentClassifier } = await import('../adapters/onnx/index.js');
        return await createIntentClassifier({ modelsDir, id: intentId });
      } catch (error) {
        startupDegraded.push({ component: 'ask:intent-model', kind: 'error', reason: `intent model ${intentId} in ${modelsDir} could not be loaded; questions are read by rules: ${describeError(error)}` });
        return undefined;
      }
    })();
    return intentsLoad;
  };

  const logsCollector = new CloudWatchLogsCollector({ client: clients.logs, logGroupsByAlarm: config.logGroupsByAlarm, clusterName: config.clusterName });
  const metricsCollector = new CloudWatchMetricsCollector({ client: clients.cloudwatch });
  const eksCollector = new EksCollector({ client: clients.eks, clusterName: config.clusterName });
  const priorCollector = new PriorDiagnosesCollector({ store });

  const region = await clients.s3.config.region();
  const plans = new S3PlanStore({ client: clients.s3, bucket: config.bucket, kmsKeyId: config.kmsKeyId });
  const audit = new S3AuditLog({ client: clients.s3, bucket: config.bucket, kmsKeyId: config.kmsKeyId });
  const kubernetes = config.clusterName
    ? new EksKubernetesApi({ eks: clients.eks, clusterName: config.clusterName, region: await clients.eks.config.region(), credentials: clients.eks.config.credentials })
    : undefined;
  // Reports link to where people open them: the browse URL when configured, else the S3 console.
  const reportUrl = (key: string) => (config.browseUrl ? browseReportUrl(config.browseUrl, key) : reportConsoleUrl(config.bucket, region, key));
  // Runbook references link to their passage in the report, and team runbooks (KNOWLEDGE_PREFIX) to their object.
  const knowledgeKey = (inRoot: string) => `${config.knowledgePrefix ?? ''}${inRoot}`;
  const htmlOptions = {
    runbookPassage: runbookPassageLookup(runbooks.chunks),
    runbookHref: runbookHrefFromRoots(config.knowledgePrefix ? { s3: (inRoot: string) => reportUrl(knowledgeKey(inRoot)) } : {}),
  };
  const htmlRenderer = (d: Parameters<typeof renderHtml>[0]) => renderHtml(d, htmlOptions);
  const alarmTagFilter = config.alarmTagFilter.length ? new CloudWatchAlarmTagFilter({ client: clients.cloudwatch, required: config.alarmTagFilter }) : undefined;
  const runtime: LambdaRuntime = {
    config, clients, store, notifier, ...(chatNotifier ? { chatNotifier } : {}), stormGuard, plans, runbooks, runbookIndexOrigin, startupMs, classifier, alarmTagFilter, startupDegraded,
    collectorsFor(incident) {
      const collectors: Collector[] = [logsCollector, priorCollector];
      if (incident.alarm?.metrics.length) collectors.push(metricsCollector);
      if (eksCollector.clusterOf(incident)) collectors.push(eksCollector);
      return collectors;
    },
    diagnose(context, observer) {
      const remaining = context.getRemainingTimeInMillis();
      return {
        deps: {
          store,
          pipeline: { runbooks, classifier, collectorsFor: (incident) => runtime.collectorsFor(incident) },
          alarms: { stormGuard, ...(alarmTagFilter ? { tagFilter: alarmTagFilter } : {}) },
          delivery: { notifier, ...(chatNotifier ? { chatNotifier } : {}), renderHtml: htmlRenderer, reportUrl, reportLocation: (key) => `s3://${config.bucket}/${key}` },
          startupDegraded,
          ...(config.lookbackMinutes ? { lookbackMinutes: config.lookbackMinutes } : {}),
          ...(observer ? { observer } : {}),
        },
        limits: {
          budgetMs: Math.max(500, Math.min(MAX_COLLECT_BUDGET_MS, remaining - DELIVERY_RESERVE_MS)),
          signal: AbortSignal.timeout(Math.max(1000, remaining - DELIVERY_RESERVE_MS / 2)),
        },
      };
    },
    async askDeps(context) {
      return {
        runbooks, store, plans, kubernetes, intents: await intents(), incidentTopicArn: config.topicArn,
        knownNames: async () => workloadNames((await store.list({ limit: 100 })).items.flatMap((i) => i.resources)),
        // ask's diagnose path runs the same use case (stored, not announced).
        diagnose: async (incident) => {
          const { deps, limits } = runtime.diagnose(context);
          const outcome = await diagnoseEvent({ incident, notify: false, returnStored: true, ...limits }, deps);
          return diagnosisOf(outcome);
        },
        collect: (incident) => collect(incident, runtime.collectorsFor(incident), { budgetMs: Math.max(500, Math.min(MAX_COLLECT_BUDGET_MS, context.getRemainingTimeInMillis() - DELIVERY_RESERVE_MS)) }),
      };
    },
    approvals: { enabled: config.approvalsEnabled, deps: async () => ({ enabled: config.approvalsEnabled, plans, audit, kubernetes }) },
  };
  startupMs.total = performance.now() - startedAt;
  return runtime;
}

/** The diagnosis of an outcome ask asked for (its incidents are never alarm transitions, so always diagnosed). */
function diagnosisOf(outcome: Awaited<ReturnType<typeof diagnoseEvent>>) {
  if (outcome.status !== 'diagnosed' || !outcome.diagnosis) throw new OpsAssistantError('NOT_DIAGNOSED', `incident ${outcome.incidentId ?? outcome.incident.id} was not diagnosed (${outcome.status})`);
  return outcome.diagnosis;
}

/**
 * The S3 console page of a report object: a link people can open from the e-mail (access still
 * needs their own IAM permissions; nothing is made public or presigned).
 */
export function reportConsoleUrl(bucket: string, region: string, key: string): string {
  return `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&prefix=${encodeURIComponent(key)}`;
}

let memo: { key: string; runtime: Promise<LambdaRuntime> } | undefined;

/**
 * The process's runtime, built on first use and reused by later invocations (a failed build is
 * dropped so the next invocation retries).
 */
export function lambdaRuntime(env: NodeJS.ProcessEnv = process.env): Promise<LambdaRuntime> {
  const key = JSON.stringify(Object.values(ENV).map((name) => env[name]));
  if (!memo || memo.key !== key) {
    const runtime = createLambdaRuntime(env);
    memo = { key, runtime };
    runtime.catch(() => {
      if (memo?.runtime === runtime) memo = undefined;
    });
  }
  return memo.runtime;
}

/** Drops the memoised runtime (tests, or after a configuration change). */
export function resetLambdaRuntime(): void {
  memo = undefined;
}

/**
 * Deployment settings read from CDK context (`-c key=value` on the command line or `context` in
 * `cdk.json`). Every key has a default; a bad value throws {@link ConfigError} naming the key.
 */
import type { Node } from 'constructs';

/** How the functions are packaged. */
export type Packaging = 'zip' | 'image';

/** Typed deployment settings; the context key of each field is its name. */
export interface OpsAssistantConfig {
  /** `x86_64` (default: the installed sharp/onnxruntime binaries are linux-x64) or `arm64`. */
  readonly architecture: 'x86_64' | 'arm64';
  /** `zip` (default: bundles + ONNX layer) or `image` (container image from the repo's Dockerfile). */
  readonly packaging: Packaging;
  /** Lambda runtime of zip-packaged functions: `nodejs22.x` (default) or `nodejs24.x`. */
  readonly nodeRuntime: 'nodejs22.x' | 'nodejs24.x';
  /** Memory of the alarm and events functions, MB. Default 1536 (model inference). */
  readonly memoryMb: number;
  /** Memory of the API function, MB. Default 1024. */
  readonly apiMemoryMb: number;
  /** Timeout of the alarm and events functions, seconds. Default 120. */
  readonly timeoutSeconds: number;
  /** Timeout of the API function, seconds (API Gateway stops waiting at 29 s). Default 29. */
  readonly apiTimeoutSeconds: number;
  /** Retention of the functions' and the API's log groups, days. Default 30. */
  readonly logRetentionDays: number;
  /** Reserved concurrency of the alarm function (also the SQS event source's maximum concurrency, ≥ 2). Default 5. */
  readonly alarmConcurrency: number;
  /** Reserved concurrency of the events function. Default 5. */
  readonly eventsConcurrency: number;
  /** Alarm names to act on, by prefix; empty (default) = every alarm but the assistant's own. */
  readonly alarmNamePrefixes: readonly string[];
  /**
   * Alarm tags the alarm function requires (`key=value`); EventBridge alarm events carry no tags,
   * so this is passed as `ALARM_TAG_FILTER` and enforced in the function. Default none.
   */
  readonly alarmTags: readonly string[];
  /** ARNs of existing SNS topics that alarms notify; the alarm function subscribes to each. Default none. */
  readonly alarmTopicArns: readonly string[];
  /** Default EKS cluster name (`CLUSTER_NAME`) and the clusters EKS read access is scoped to. Default none. */
  readonly clusterName?: string;
  /** Further EKS cluster names the functions may describe. Default none. */
  readonly clusterNames: readonly string[];
  /** E-mail address subscribed to the incident topic; overrides the `NotificationEmail` parameter. */
  readonly notificationEmail?: string;
  /** Model folder name under `models/` shipped in the layer at `/opt/models/<id>`. Default `ops-encoder`. */
  readonly modelId: string;
  /** S3 prefix of team runbooks in the diagnoses bucket (`KNOWLEDGE_PREFIX`). Default `knowledge/`. */
  readonly knowledgePrefix: string;
  /**
   * HTTPS address serving the bucket's layout to people (`BROWSE_URL`), e.g. a CloudFront
   * distribution in front of the bucket: e-mails link reports there. Default none: the S3 console.
   */
  readonly browseUrl?: string;
  /** Minutes of logs fetched before the alarm (`LOG_LOOKBACK_MINUTES`). Default 30. */
  readonly logLookbackMinutes: number;
  /** Window in which repeated transitions of one alarm count as one incident (`STORM_WINDOW_MINUTES`). Default 30. */
  readonly stormWindowMinutes: number;
  /** Explicit log groups per alarm name (`LOG_GROUPS_BY_ALARM`), e.g. `{"api-5xx":["/ecs/api"]}`. Default none. */
  readonly logGroupsByAlarm?: Readonly<Record<string, readonly string[]>>;
  /** API stage throttling: steady-state requests per second. Default 10. */
  readonly apiRateLimit: number;
  /** API stage throttling: burst. Default 20. */
  readonly apiBurstLimit: number;
  /** Adds `POST /v1/plans/{id}/approve` and its own invoke policy. Default false. */
  readonly enableApprove: boolean;
  /** Days before `quarantine/` objects expire. Default 30. */
  readonly quarantineExpiryDays: number;
  /** Days before non-current object versions expire. Default 90. */
  readonly noncurrentVersionExpiryDays: number;
  /**
   * Creates the chat topic (`ChatTopic`, `CHAT_TOPIC_ARN`) that receives every diagnosis in the
   * custom-notification format of Amazon Q Developer in chat applications, for a chat channel
   * configured outside this app. Default false; implied by the Slack and Teams settings.
   */
  readonly chatTopic: boolean;
  /** Slack workspace (team) ID authorized in the Amazon Q Developer console, e.g. `T0123ABCD`; with `slackChannelId`. Default none. */
  readonly slackWorkspaceId?: string;
  /** Slack channel ID, e.g. `C0123ABCD`; with `slackWorkspaceId`. Default none. */
  readonly slackChannelId?: string;
  /** Microsoft Teams tenant ID (a GUID); with `teamsTeamId` and `teamsChannelId`. Default none. */
  readonly teamsTenantId?: string;
  /** Microsoft Teams team ID (a GUID) authorized in the Amazon Q Developer console. Default none. */
  readonly teamsTeamId?: string;
  /** Microsoft Teams channel ID as Teams copies it (URL-encoded, e.g. `19%3ab6ef…%40thread.tacv2`). Default none. */
  readonly teamsChannelId?: string;
}

/** Error raised for a context value that cannot be used; the message names the key and the value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`context "${key}": ${message}`);
  }
}

const DEFAULTS: OpsAssistantConfig = {
  architecture: 'x86_64',
  packaging: 'zip',
  nodeRuntime: 'nodejs22.x',
  memoryMb: 1536,
  apiMemoryMb: 1024,
  timeoutSeconds: 120,
  apiTimeoutSeconds: 29,
  logRetentionDays: 30,
  alarmConcurrency: 5,
  eventsConcurrency: 5,
  alarmNamePrefixes: [],
  alarmTags: [],
  alarmTopicArns: [],
  clusterNames: [],
  modelId: 'ops-encoder',
  knowledgePrefix: 'knowledge/',
  logLookbackMinutes: 30,
  stormWindowMinutes: 30,
  apiRateLimit: 10,
  apiBurstLimit: 20,
  enableApprove: false,
  quarantineExpiryDays: 30,
  noncurrentVersionExpiryDays: 90,
  chatTopic: false,
};

/** CloudWatch Logs retention values accepted by `AWS::Logs::LogGroup` (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * Reads the settings from the construct tree's context.
 * @throws {ConfigError} for a value of the wrong type or out of range.
 * @example readConfig(app.node) // with `cdk synth -c architecture=arm64 -c alarmNamePrefixes=prod-,payments-`
 */
export function readConfig(node: Node): OpsAssistantConfig {
  const get = (key: keyof OpsAssistantConfig): unknown => node.tryGetContext(key);
  const str = (key: keyof OpsAssistantConfig): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new ConfigError(key, `expected a string, got ${JSON.stringify(v)}`);
    return v.trim();
  };
  const list = (key: keyof OpsAssistantConfig): string[] => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((x) => x.trim()).filter(Boolean);
    if (typeof v === 'string') return v.split(',').map((x) => x.trim()).filter(Boolean);
    throw new ConfigError(key, `expected a comma-separated string or a list of strings, got ${JSON.stringify(v)}`);
  };
  const int = (key: keyof OpsAssistantConfig, min: number, max: number): number => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return DEFAULTS[key] as number;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(key, `expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
    return n;
  };
  const bool = (key: keyof OpsAssistantConfig): boolean => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return DEFAULTS[key] as boolean;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new ConfigError(key, `expected true or false, got ${JSON.stringify(v)}`);
  };
  const oneOf = <T extends string>(key: keyof OpsAssistantConfig, allowed: readonly T[]): T => {
    const v = str(key) ?? (DEFAULTS[key] as T);
    if (!allowed.includes(v as T)) throw new ConfigError(key, `expected one of ${allowed.join(', ')}, got "${v}"`);
    return v as T;
  };

  const logRetentionDays = int('logRetentionDays', 1, 3653);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw new ConfigError('logRetentionDays', `${logRetentionDays} is not a CloudWatch Logs retention value (${RETENTION_DAYS.join(', ')})`);
  }
  const alarmTags = list('alarmTags');
  for (const tag of alarmTags) if (!/^[^=]+=.*$/.test(tag)) throw new ConfigError('alarmTags', `"${tag}" is not key=value`);
  const alarmTopicArns = list('alarmTopicArns');
  for (const arn of alarmTopicArns) if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(arn)) throw new ConfigError('alarmTopicArns', `"${arn}" is not an SNS topic ARN`);
  const email = str('notificationEmail');
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new ConfigError('notificationEmail', `"${email}" is not an e-mail address`);
  const clusterName = str('clusterName');
  const clusterNames = list('clusterNames');
  for (const c of [clusterName, ...clusterNames]) if (c !== undefined && !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(c)) throw new ConfigError('clusterName', `"${c}" is not an EKS cluster name`);
  const knowledgePrefix = str('knowledgePrefix') ?? DEFAULTS.knowledgePrefix;
  if (!/^[\w\-./]+\/$/.test(knowledgePrefix)) throw new ConfigError('knowledgePrefix', `"${knowledgePrefix}" must be an S3 prefix ending with "/"`);
  const browseUrl = str('browseUrl');
  if (browseUrl !== undefined) {
    let url: URL | undefined;
    try { url = new URL(browseUrl); } catch { url = undefined; }
    if (!url || url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) throw new ConfigError('browseUrl', `"${browseUrl}" must be an https:// URL without query, fragment or credentials`);
  }
  const logGroupsByAlarm = readLogGroupsByAlarm(get('logGroupsByAlarm'));
  const chat = readChatChannels(str);
  const modelId = str('modelId') ?? DEFAULTS.modelId;
  if (!/^[\w.-]+$/.test(modelId)) throw new ConfigError('modelId', `"${modelId}" is not a folder name`);

  return {
    architecture: oneOf('architecture', ['x86_64', 'arm64'] as const),
    packaging: oneOf('packaging', ['zip', 'image'] as const),
    nodeRuntime: oneOf('nodeRuntime', ['nodejs22.x', 'nodejs24.x'] as const),
    memoryMb: int('memoryMb', 128, 10240),
    apiMemoryMb: int('apiMemoryMb', 128, 10240),
    timeoutSeconds: int('timeoutSeconds', 10, 900),
    apiTimeoutSeconds: int('apiTimeoutSeconds', 3, 29),
    logRetentionDays,
    alarmConcurrency: int('alarmConcurrency', 2, 1000),
    eventsConcurrency: int('eventsConcurrency', 1, 1000),
    alarmNamePrefixes: list('alarmNamePrefixes'),
    alarmTags,
    alarmTopicArns,
    clusterName,
    clusterNames,
    notificationEmail: email,
    modelId,
    knowledgePrefix,
    ...(browseUrl !== undefined ? { browseUrl } : {}),
    logLookbackMinutes: int('logLookbackMinutes', 1, 1440),
    stormWindowMinutes: int('stormWindowMinutes', 1, 1440),
    logGroupsByAlarm,
    apiRateLimit: int('apiRateLimit', 1, 10000),
    apiBurstLimit: int('apiBurstLimit', 1, 5000),
    enableApprove: bool('enableApprove'),
    quarantineExpiryDays: int('quarantineExpiryDays', 1, 3650),
    noncurrentVersionExpiryDays: int('noncurrentVersionExpiryDays', 1, 3650),
    ...chat,
    chatTopic: bool('chatTopic') || chat.slackChannelId !== undefined || chat.teamsChannelId !== undefined,
  };
}

type ChatChannelSettings = Pick<OpsAssistantConfig, 'slackWorkspaceId' | 'slackChannelId' | 'teamsTenantId' | 'teamsTeamId' | 'teamsChannelId'>;

/**
 * The Slack and Teams channel settings: each chat's keys all given or none. Formats follow the
 * `AWS::Chatbot::SlackChannelConfiguration` and `AWS::Chatbot::MicrosoftTeamsChannelConfiguration`
 * references (Slack IDs are upper-case letters and digits; Teams tenant and team IDs are GUIDs;
 * a Teams channel ID is the URL-encoded `19:…@thread…` Teams copies).
 */
function readChatChannels(str: (key: keyof OpsAssistantConfig) => string | undefined): ChatChannelSettings {
  const slackWorkspaceId = str('slackWorkspaceId');
  const slackChannelId = str('slackChannelId');
  if ((slackWorkspaceId === undefined) !== (slackChannelId === undefined)) {
    throw new ConfigError(slackWorkspaceId === undefined ? 'slackWorkspaceId' : 'slackChannelId', 'slackWorkspaceId and slackChannelId go together (both or neither)');
  }
  if (slackWorkspaceId !== undefined && !/^[0-9A-Z]{1,255}$/.test(slackWorkspaceId)) throw new ConfigError('slackWorkspaceId', `"${slackWorkspaceId}" is not a Slack workspace ID (e.g. T0123ABCD)`);
  if (slackChannelId !== undefined && !/^[A-Za-z0-9]{1,255}$/.test(slackChannelId)) throw new ConfigError('slackChannelId', `"${slackChannelId}" is not a Slack channel ID (e.g. C0123ABCD)`);
  const teams = { teamsTenantId: str('teamsTenantId'), teamsTeamId: str('teamsTeamId'), teamsChannelId: str('teamsChannelId') };
  const given = Object.entries(teams).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (given.length > 0 && given.length < 3) {
    const missing = Object.keys(teams).filter((k) => !given.includes(k));
    throw new ConfigError(missing[0] as keyof OpsAssistantConfig, `teamsTenantId, teamsTeamId and teamsChannelId go together (missing ${missing.join(', ')})`);
  }
  const guid = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
  for (const key of ['teamsTenantId', 'teamsTeamId'] as const) {
    if (teams[key] !== undefined && !guid.test(teams[key]!)) throw new ConfigError(key, `"${teams[key]}" is not a GUID`);
  }
  if (teams.teamsChannelId !== undefined && !/^[A-Za-z0-9\-_=+/.,]*%3[aA][A-Za-z0-9\-_=+/.,]*%40[A-Za-z0-9\-_=+/.,]*$/.test(teams.teamsChannelId)) {
    throw new ConfigError('teamsChannelId', `"${teams.teamsChannelId}" is not a Teams channel ID as Teams copies it (19%3a…%40thread.tacv2)`);
  }
  return {
    ...(slackWorkspaceId !== undefined ? { slackWorkspaceId, slackChannelId } : {}),
    ...(given.length === 3 ? teams : {}),
  };
}

/** `logGroupsByAlarm`: an object or its JSON text mapping alarm names to log group names. */
function readLogGroupsByAlarm(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new ConfigError('logGroupsByAlarm', `not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError('logGroupsByAlarm', 'expected an object {"<alarm name>": ["<log group>", ...]}');
  const out: Record<string, string[]> = {};
  for (const [alarm, groups] of Object.entries(parsed)) {
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && g.length > 0)) {
      throw new ConfigError('logGroupsByAlarm', `alarm "${alarm}": expected a list of log group names`);
    }
    out[alarm] = groups as string[];
  }
  return out;
}

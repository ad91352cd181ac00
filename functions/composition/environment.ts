/**
 * The Lambda functions' environment variable names: one owner, read by the runtime
 * (`composition/lambda.ts`) and set by the CDK app (`infra/lib/stateless-stack.ts`).
 * This module imports nothing, so `infra/` can import it without pulling in the runtime.
 */
export const ENV = {
  /** The diagnoses bucket (required). */
  bucket: 'DIAGNOSES_BUCKET',
  /** The incident topic (required). */
  topicArn: 'INCIDENT_TOPIC_ARN',
  /** The chat topic (optional): chat notifications for Amazon Q Developer in chat applications (Slack, Microsoft Teams). */
  chatTopicArn: 'CHAT_TOPIC_ARN',
  /** The models root (with `manifest.json`) or one model folder inside it. */
  modelDir: 'MODEL_DIR',
  modelId: 'MODEL_ID',
  /** Team runbooks under this prefix of the diagnoses bucket. */
  knowledgePrefix: 'KNOWLEDGE_PREFIX',
  /** The bundled runbooks; default `knowledge-base/` beside the code. */
  knowledgeBaseDir: 'KNOWLEDGE_BASE_DIR',
  /** The prebuilt runbook index; default `runbook-index.json` beside the bundle. */
  runbookIndexFile: 'RUNBOOK_INDEX_FILE',
  lookbackMinutes: 'LOG_LOOKBACK_MINUTES',
  clusterName: 'CLUSTER_NAME',
  kmsKeyId: 'KMS_KEY_ID',
  stormWindowMinutes: 'STORM_WINDOW_MINUTES',
  /** JSON `{ "<alarm>": ["<log group>"] }`. */
  logGroupsByAlarm: 'LOG_GROUPS_BY_ALARM',
  maxAttempts: 'AWS_MAX_ATTEMPTS',
  /** `true` to execute approved plans. */
  approveEnabled: 'APPROVE_ENABLED',
  /** `key=value,…`: the alarm handler diagnoses only alarms carrying every one of these tags. */
  alarmTagFilter: 'ALARM_TAG_FILTER',
  /**
   * HTTPS address at which the bucket's layout is served to people (a CloudFront distribution or
   * another site in front of it): e-mails link `<BROWSE_URL>diagnoses/…/<id>.html`; default the S3
   * console page of the report object.
   */
  browseUrl: 'BROWSE_URL',
} as const;

/** One of the functions' environment variable names. */
export type EnvName = (typeof ENV)[keyof typeof ENV];

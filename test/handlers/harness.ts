/**
 * Starts every local server the handlers talk to and points the SDK at them through the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, as a deployment would configure real endpoints.
 */
import { existsSync, readdirSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import type { Context } from 'aws-lambda';
import { startAwsFakes, startLocalS3, type AwsFakes, type LocalS3 } from '../support/aws-servers/index.js';
import { resetLambdaRuntime } from '../../functions/composition/lambda.js';

// Powertools reads these when the handlers' modules are first evaluated (test files import this
// module before the handlers), so they are set here rather than in startHarness.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

export const BUCKET = 'ops-diagnoses-it';
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `../shared/data/aws-events` relative to the repo root (overridable with `SHARED_DATA_DIR`). */
export const AWS_EVENTS_DIR = path.resolve(process.env.SHARED_DATA_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'data'), 'aws-events');

export interface Harness {
  readonly s3: LocalS3;
  readonly fakes: AwsFakes;
  readonly s3Client: S3Client;
  readonly sqsClient: SQSClient;
  readonly queueUrl: string;
  keys(prefix: string): Promise<string[]>;
  object(key: string): Promise<string>;
  /** Drains the SNS→SQS observer queue: the messages published since the last drain. */
  drain(): Promise<Array<{ Subject?: string; Message: string; MessageAttributes?: Record<string, { Type: string; Value: string }> }>>;
  /** Drains the chat topic's observer queue (with `{ chat: true }`; empty otherwise). */
  drainChat(): Promise<Array<{ Subject?: string; Message: string; MessageAttributes?: Record<string, { Type: string; Value: string }> }>>;
  stop(): Promise<void>;
}

/** A Lambda context with `remainingMs` left. */
export function lambdaContext(remainingMs = 30_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false, functionName: 'ops-assistant-test', functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:ops-assistant-test', memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', logGroupName: '/aws/lambda/ops-assistant-test', logStreamName: '2026/11/30/[$LATEST]abc',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined, fail: () => undefined, succeed: () => undefined,
  };
}

/**
 * Starts the local servers and sets the functions' environment. With `chat: true`, a second topic
 * stands for the chat topic (`CHAT_TOPIC_ARN`), observed through its own queue.
 */
export async function startHarness(extraEnv: Record<string, string> = {}, options: { chat?: boolean } = {}): Promise<Harness> {
  const s3 = await startLocalS3([BUCKET]);
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const { topicArn } = fauxqs.createTopic('ops-incidents');
  const { queueUrl } = fauxqs.createQueue('ops-incidents-observer');
  fauxqs.subscribe({ topic: 'ops-incidents', queue: 'ops-incidents-observer' });
  const chat = options.chat ? { topicArn: fauxqs.createTopic('ops-chat').topicArn, queueUrl: fauxqs.createQueue('ops-chat-observer').queueUrl } : undefined;
  if (chat) fauxqs.subscribe({ topic: 'ops-chat', queue: 'ops-chat-observer' });
  const fakes = await startAwsFakes();
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_SNS: fauxqs.address,
    ...fakes.env,
    DIAGNOSES_BUCKET: BUCKET,
    INCIDENT_TOPIC_ARN: topicArn,
    ...(chat ? { CHAT_TOPIC_ARN: chat.topicArn } : {}),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...extraEnv,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  resetLambdaRuntime();
  const creds = { credentials: s3.credentials, region: 'us-east-1' };
  const s3Client = new S3Client({ ...creds, endpoint: s3.url, forcePathStyle: true });
  const sqsClient = new SQSClient({ ...creds, endpoint: fauxqs.address });
  return {
    s3, fakes, s3Client, sqsClient, queueUrl,
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3Client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async object(key) {
      return (await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString('utf-8');
    },
    drain: () => drainQueue(sqsClient, queueUrl),
    drainChat: async () => (chat ? drainQueue(sqsClient, chat.queueUrl) : []),
    async stop() {
      resetLambdaRuntime();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await Promise.all([s3.stop(), fauxqs.stop(), fakes.stop()]);
    },
  };
}

/** Receives and deletes every message of an SNS→SQS observer queue; returns the SNS envelopes. */
async function drainQueue(sqsClient: SQSClient, queueUrl: string) {
  const out = [];
  for (;;) {
    const r = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = r.Messages ?? [];
    if (messages.length === 0) break;
    out.push(...messages.map((m) => JSON.parse(m.Body!)));
    await sqsClient.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return out;
}

/** Every JSON sample under `aws-events/` (path relative to it → parsed payload); empty when absent. */
export function sharedAwsEvents(): Array<{ name: string; payload: unknown; text: string }> {
  if (!existsSync(AWS_EVENTS_DIR)) return [];
  const out: Array<{ name: string; payload: unknown; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.json')) {
        const text = readFileSync(full, 'utf8');
        try {
          out.push({ name: path.relative(AWS_EVENTS_DIR, full), payload: JSON.parse(text), text });
        } catch {
          out.push({ name: path.relative(AWS_EVENTS_DIR, full), payload: undefined, text });
        }
      }
    }
  };
  walk(AWS_EVENTS_DIR);
  return out;
}

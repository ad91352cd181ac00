/**
 * Slot pools of the intent corpus: names engineers type (workloads, namespaces, clusters, nodes,
 * Lambda functions, queues, load balancers, target groups), times, counts and pasted error lines.
 *
 * Template syntax (see `templates.ts`): `{slot}` draws from {@link INTENT_POOLS}; `{a|b|c}` picks one
 * literal alternative (an empty alternative is allowed: `{|please }`); `{n:LO-HI}` an integer.
 */
import { mulberry32 } from '../../corpus/slots.js';

export { mulberry32 };
export type Rng = () => number;
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const hex = (rng: Rng, len: number): string => Array.from({ length: len }, () => pick(rng, '0123456789abcdef'.split(''))).join('');

export const APPS = [
  'checkout', 'payments', 'cart', 'orders', 'inventory', 'auth-api', 'search', 'billing-worker', 'notifier', 'gateway',
  'catalog', 'ledger', 'frontend', 'shipping', 'user-service', 'pricing', 'fraud-scorer', 'email-sender', 'api', 'web',
  'worker', 'redis', 'order-processor', 'image-resizer', 'recommendations', 'reporting', 'ingest', 'webhooks', 'session-store',
  'kafka-consumer', 'profile-api', 'invoice-svc', 'tax-calc', 'quote-engine', 'login', 'storefront', 'media', 'admin-ui',
  'svc-a', 'ratings', 'geo-api', 'stock-svc', 'mailer', 'sync-job', 'edge-proxy', 'img-proxy', 'acct-api', 'promo-engine', 'doc-store', 'feed', 'chat-gw', 'ml-scorer',
];
const NAMESPACES = ['shop', 'prod', 'staging', 'payments', 'platform', 'team-orders', 'data', 'web', 'backend', 'default', 'monitoring', 'edge', 'billing', 'apps'];
const CLUSTERS = ['prod-eu', 'prod-us', 'eks-main', 'staging', 'platform-prod', 'prod-eu-west-1', 'shop-prod', 'dev-cluster'];
const FUNCTIONS = ['order-ingest', 'thumbnail-gen', 'payments-webhook', 'process-refunds', 'nightly-export', 'send-receipts', 'resize-images', 'sync-inventory', 'auth-authorizer', 'stripe-callback'];
const QUEUES = ['orders-dlq', 'payments-queue', 'email-jobs', 'ingest-events', 'refunds-dlq', 'notifications'];
const ALBS = ['prod-web', 'checkout-alb', 'api-public', 'internal-api', 'shop-frontend'];
const TGS = ['checkout-tg', 'api-tg', 'web-blue', 'payments-tg', 'cart-tg'];

export const ERROR_LINES = [
  'Back-off restarting failed container', 'CrashLoopBackOff', 'OOMKilled', 'Last State: Terminated Reason: OOMKilled Exit Code: 137',
  'Failed to pull image "{app}:v2.3.1": rpc error: code = NotFound', 'ErrImagePull', 'ImagePullBackOff',
  '0/3 nodes are available: 3 Insufficient memory.', '0/5 nodes are available: 5 node(s) had untolerated taint',
  'pod has unbound immediate PersistentVolumeClaims', 'MountVolume.SetUp failed for volume "data"',
  'dial tcp 10.0.3.4:5432: connect: connection refused', 'x509: certificate has expired or is not yet valid',
  'Readiness probe failed: HTTP probe failed with statuscode: 503', 'Liveness probe failed: Get "http://10.1.2.3:8080/healthz": context deadline exceeded',
  'FATAL: remaining connection slots are reserved for non-replication superuser connections', 'java.lang.OutOfMemoryError: Java heap space',
  'Task timed out after 30.03 seconds', 'Rate exceeded (Service: Lambda; Status Code: 429)', 'no space left on device',
  'upstream connect error or disconnect/reset before headers', 'AccessDenied: User is not authorized to perform: sqs:SendMessage',
  'Too many open files', 'Error: connect ECONNREFUSED 127.0.0.1:6379', 'dial udp 172.20.0.10:53: i/o timeout', 'lookup db.internal: no such host',
  'Error from server (Forbidden): pods is forbidden', 'The node was low on resource: memory', 'Evicted', 'Killing container with id',
  'exceeded quota: compute-resources', 'failed calling webhook', 'deadlock detected', 'ThrottlingException: Rate exceeded',
  'error: deployment "{app}" exceeded its progress deadline', 'Failed to create pod sandbox', 'NodeNotReady', 'PLEG is not healthy',
  'ProvisionedThroughputExceededException', 'Runtime.ImportModuleError: Error: Cannot find module', 'KMS AccessDeniedException',
  'HTTP 504 Gateway Timeout', '502 Bad Gateway', 'panic: runtime error: invalid memory address or nil pointer dereference',
  'Lock wait timeout exceeded; try restarting transaction', 'ERROR 1040 (HY000): Too many connections', 'redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.',
  'Traceback (most recent call last): ... KeyError: \'user_id\'', 'java.net.SocketTimeoutException: Read timed out', 'io.grpc.StatusRuntimeException: UNAVAILABLE: io exception',
  'Error: ENOSPC: no space left on device, write', 'Error: EMFILE: too many open files', 'getaddrinfo ENOTFOUND api.stripe.com', 'read ECONNRESET',
  'Warning  FailedScheduling  0/4 nodes are available: 4 Insufficient cpu.', 'Warning  FailedMount  Unable to attach or mount volumes: timed out waiting for the condition',
  'Warning  BackOff  Back-off pulling image "{app}:latest"', 'Warning  Unhealthy  Readiness probe failed: connection refused', 'Normal  Killing  Stopping container {app}',
  'Error: container has runAsNonRoot and image will run as root', 'CreateContainerConfigError: configmap "{app}-config" not found', 'Error: secret "{app}-env" not found',
  'ScalingLimited: the desired replica count is more than the maximum replica count', 'FailedGetResourceMetric: unable to get metrics for resource cpu',
  'no endpoints available for service "{app}"', 'Unable to connect to the server: dial tcp: i/o timeout', 'error: You must be logged in to the server (Unauthorized)',
  'CannotPullContainerError: pull image manifest has been retried 5 time(s)', 'ResourceInitializationError: unable to pull secrets or registry auth',
  'Essential container in task exited', 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{app}-tg/6d0ecf831eec9f09)',
  'Runtime exited with error: signal: killed', 'REPORT RequestId: 3f1a Duration: 900000.00 ms Billed Duration: 900000 ms Memory Size: 128 MB Max Memory Used: 128 MB',
  'An error occurred (ThrottlingException) when calling the PutMetricData operation', 'botocore.exceptions.ClientError: An error occurred (AccessDeniedException)',
  'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress', 'Error: INSTALLATION FAILED: context deadline exceeded',
  'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "/app": permission denied', 'SIGTERM received, shutting down',
  'the server has asked for the client to provide credentials', 'certificate signed by unknown authority', 'ssl: handshake failure', 'HikariPool-1 - Connection is not available, request timed out after 30000ms',
];
export const ERROR_CODES = ['ENOSPC', 'EMFILE', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'OOMKilled', 'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError',
  'SIGKILL', 'exit code 137', 'exit 143', 'Evicted', 'NodeNotReady', 'FailedScheduling', 'FailedMount', 'x509', 'ThrottlingException', 'AccessDenied', '502', '504', 'DiskPressure', 'MemoryPressure',
  'PLEG', 'OOM', 'ContainerCreating', 'Terminating', 'InvalidImageName', 'RunContainerError', 'DeadlineExceeded', 'BackoffLimitExceeded', 'TooManyRequestsException', 'KMSAccessDenied'];

export const MESSAGES = [
  'connection reset by peer', 'payment declined', 'timeout waiting for lock', 'circuit breaker open', 'invalid token',
  'NullPointerException', 'disk full', 'retry budget exhausted', 'cache miss storm', 'upstream timed out', 'card_declined', 'order not found',
];

const TIMES = [
  'in the last hour', 'last 30 min', 'since monday', 'yesterday', 'today', 'this morning', 'past 2h', 'since 09:00', 'in the last 15 minutes',
  'since 2026-11-28', 'on friday', 'last night', 'over the weekend', 'since tuesday', 'between 10:00 and 11:00', 'last 24h', 'since the alarm',
  'since 14:30', 'on nov 27', 'last week', 'past 10m', 'after the deploy',
];

const NAME_HEADS = ['geo', 'stock', 'loyal', 'fulfil', 'report', 'invoice', 'notif', 'coupon', 'reco', 'media', 'auth', 'ledger', 'fraud', 'tax', 'quote', 'kafka', 'user',
  'image', 'order', 'cart', 'pay', 'ship', 'price', 'promo', 'chat', 'doc', 'feed', 'sync', 'edge', 'acct', 'risk', 'book', 'seat', 'menu', 'route', 'track', 'wallet', 'score', 'audit', 'mail'];
const NAME_TAILS = ['-api', '-svc', '-service', '-worker', '-engine', '-gw', '-proxy', '-sync', '-points', '-builder', '-bridge', '-dispatcher', '-consumer', '', 's', '-v2', '-web', '-job', '-backend', '-indexer', '-lookup', '-manager'];

/** Workload names: the fixed pool, or a made-up one half the time, so the model learns the words around a name, not the name. */
const appName = (r: Rng): string => (r() < 0.5 ? pick(r, APPS) : `${pick(r, NAME_HEADS)}${pick(r, NAME_TAILS)}`);

export const INTENT_POOLS: Record<string, (r: Rng) => string> = {
  app: (r) => appName(r),
  ns: (r) => pick(r, NAMESPACES),
  cluster: (r) => pick(r, CLUSTERS),
  node: (r) => pick(r, [
    () => `ip-10-${int(r, 0, 255)}-${int(r, 0, 255)}-${int(r, 1, 254)}.ec2.internal`,
    () => `ip-172-31-${int(r, 0, 255)}-${int(r, 1, 254)}.eu-west-1.compute.internal`,
    () => `worker-${int(r, 1, 40)}`,
    () => `node-${int(r, 1, 12)}`,
  ])(),
  pod: (r) => `${pick(r, APPS)}-${hex(r, int(r, 8, 10))}-${hex(r, 5)}`,
  fn: (r) => pick(r, FUNCTIONS),
  inst: (r) => `i-0${hex(r, 16)}`,
  queue: (r) => pick(r, QUEUES),
  alb: (r) => pick(r, ALBS),
  tg: (r) => pick(r, TGS),
  time: (r) => pick(r, TIMES),
  dur: (r) => pick(r, ['5 minutes', '10 min', '15m', '1 minute', '3 mins', '30 seconds', '2 periods of 5 minutes', '5m']),
  pct: (r) => pick(r, [`${int(r, 1, 20)}%`, `${int(r, 1, 9)} percent`, `${int(r, 1, 5)}.5%`, `${int(r, 50, 95)}%`]),
  count: (r) => String(pick(r, [5, 10, 20, 25, 50, 100, 200, 500, 1000])),
  reps: (r) => String(int(r, 0, 12)),
  err: (r) => fillNested(pick(r, ERROR_LINES), r),
  code: (r) => pick(r, ERROR_CODES),
  msg: (r) => pick(r, MESSAGES),
  level: (r) => pick(r, ['errors', 'error', 'warnings', 'WARN', 'ERROR', 'warn lines', 'error lines', 'exceptions', 'debug logs', 'INFO logs']),
  secret: (r) => pick(r, ['db-credentials', 'stripe-key', 'api-token', 'postgres-password', 'app-secrets', 'tls-cert', 'aws-creds']),
  status: (r) => pick(r, ['500s', '502s', '503s', '504s', '5xx', '4xx', '404s', 'errors', 'timeouts']),
  verb: (r) => pick(r, ['restart', 'scale', 'rollback', 'drain', 'cordon']),
  topic: (r) => pick(r, [
    'a pending pvc', 'CrashLoopBackOff', 'ImagePullBackOff', 'OOMKilled pods', 'a node in NotReady', 'dns timeouts in the cluster', 'an expired certificate',
    'lambda throttling', 'a full disk on a node', 'readiness probes failing', 'pods stuck in Terminating', 'an hpa that does not scale', 'evicted pods',
    'a stuck rollout', 'too many open files', 'postgres running out of connections', 'a 502 from the alb', 'sqs messages in the dlq', 'a forbidden error from rbac',
    'pods stuck in pending', 'a namespace stuck in Terminating', 'lambda cold starts', 'a job that never finishes', 'ecs tasks that keep stopping', 'an ec2 instance failing status checks',
  ]),
};

function fillNested(s: string, r: Rng): string {
  return s.replace(/\{app\}/g, () => pick(r, APPS));
}

/**
 * Fills `template`: `{slot}`, `{a|b|…}`, `{n:LO-HI}`.
 * @throws Error naming a slot with no pool.
 */
export function fillIntent(template: string, rng: Rng): string {
  // Innermost braces first, repeated: `{| in {ns}}` picks an alternative after `{ns}` is filled.
  let text = template;
  for (let pass = 0; pass < 4 && /\{[^{}]*\}/.test(text); pass++) text = fillOnce(text, template, rng);
  return text;
}

function fillOnce(text: string, template: string, rng: Rng): string {
  return text.replace(/\{([^{}]*)\}/g, (_, body: string) => {
    const range = /^n:(\d+)-(\d+)$/.exec(body);
    if (range) return String(int(rng, Number(range[1]), Number(range[2])));
    if (body.includes('|')) return pick(rng, body.split('|'));
    const pool = INTENT_POOLS[body];
    if (!pool) throw new Error(`intent corpus: slot {${body}} has no pool (template: ${template})`);
    return pool(rng);
  });
}

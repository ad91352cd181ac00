/**
 * Slot filling for the corpus templates: a seeded PRNG and pools of realistic resource names.
 *
 * Template syntax (see `templates.ts`):
 * - `{pod}`, `{ns}`, … — a value drawn from the pool of that name (see {@link POOLS});
 * - `{n:LO-HI}` — an integer drawn uniformly from [LO, HI];
 * - `{a|b|c}` — one of the literal alternatives.
 */

/** mulberry32: a small, seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const hex = (rng: Rng, len: number, alphabet = '0123456789abcdef'): string =>
  Array.from({ length: len }, () => pick(rng, alphabet.split(''))).join('');
const podSuffix = (rng: Rng): string => hex(rng, 5, 'bcdfghjklmnpqrstvwxz2456789');

const APPS = [
  'checkout', 'payments', 'cart', 'orders', 'inventory', 'auth-api', 'search', 'billing-worker', 'notifier',
  'gateway', 'catalog', 'recommendations', 'ledger', 'frontend', 'shipping', 'user-service', 'reporting',
  'ingest', 'media-transcoder', 'webhooks', 'pricing', 'fraud-scorer', 'email-sender', 'session-store',
];
const NAMESPACES = ['default', 'prod', 'staging', 'payments', 'platform', 'team-orders', 'data', 'web', 'backend', 'apps'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1'];
const ACCOUNTS = ['123456789012', '210987654321', '555566667777', '098765432109'];

/** Pools of slot values; each is a function of the PRNG so names vary. */
export const POOLS: Record<string, (rng: Rng) => string> = {
  app: (r) => pick(r, APPS),
  ns: (r) => pick(r, NAMESPACES),
  pod: (r) => `${pick(r, APPS)}-${hex(r, int(r, 8, 10))}-${podSuffix(r)}`,
  deploy: (r) => pick(r, APPS),
  container: (r) => pick(r, [...APPS.slice(0, 12), 'app', 'server', 'worker', 'main', 'api']),
  node: (r) =>
    pick(r, [
      () => `ip-10-${int(r, 0, 255)}-${int(r, 0, 255)}-${int(r, 1, 254)}.${pick(r, REGIONS)}.compute.internal`,
      () => `ip-172-31-${int(r, 0, 255)}-${int(r, 1, 254)}.ec2.internal`,
      () => `worker-${int(r, 1, 40)}`,
      () => `gke-prod-pool-${hex(r, 8)}-${podSuffix(r).slice(0, 4)}`,
      () => `aks-nodepool1-${int(r, 10000000, 99999999)}-vmss00000${int(r, 0, 9)}`,
    ])(),
  region: (r) => pick(r, REGIONS),
  account: (r) => pick(r, ACCOUNTS),
  image: (r) =>
    `${pick(r, [
      `${pick(r, ACCOUNTS)}.dkr.ecr.${pick(r, REGIONS)}.amazonaws.com`,
      'ghcr.io/acme',
      'docker.io/acme',
      'quay.io/acme',
      'registry.internal:5000/team',
    ])}/${pick(r, APPS)}:${pick(r, [`v${int(r, 1, 4)}.${int(r, 0, 20)}.${int(r, 0, 9)}`, hex(r, 7), 'latest', `release-${int(r, 100, 999)}`])}`,
  tag: (r) => pick(r, [`v${int(r, 1, 4)}.${int(r, 0, 20)}.${int(r, 0, 9)}`, hex(r, 7), `build-${int(r, 1000, 9999)}`]),
  ip: (r) => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
  port: (r) => String(pick(r, [80, 443, 8080, 8443, 5432, 3306, 6379, 9092, 9200, 27017, 50051, 3000])),
  svc: (r) => pick(r, APPS),
  host: (r) =>
    pick(r, [
      () => `${pick(r, APPS)}.${pick(r, NAMESPACES)}.svc.cluster.local`,
      () => `${pick(r, APPS)}-db.cluster-${hex(r, 12)}.${pick(r, REGIONS)}.rds.amazonaws.com`,
      () => `api.${pick(r, ['stripe.com', 'partner.example.com', 'payments.example.net', 'internal.acme.io'])}`,
      () => `${pick(r, APPS)}-cache.${hex(r, 6)}.ng.0001.use1.cache.amazonaws.com`,
      () => `${pick(r, APPS)}.internal.acme.io`,
    ])(),
  dbhost: (r) => `${pick(r, APPS)}-db.cluster-${hex(r, 12)}.${pick(r, REGIONS)}.rds.amazonaws.com`,
  db: (r) => pick(r, ['orders', 'payments', 'inventory', 'users', 'ledger', 'catalog', 'app', 'analytics']),
  dbuser: (r) => pick(r, ['app', 'orders_rw', 'svc_payments', 'readonly', 'postgres', 'api_user']),
  table: (r) => pick(r, ['orders', 'payments', 'sessions', 'inventory_items', 'user_accounts', 'ledger_entries', 'events']),
  fn: (r) => `${pick(r, APPS)}-${pick(r, ['handler', 'processor', 'consumer', 'api', 'cron', 'resizer', 'sync'])}`,
  reqid: (r) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
  role: (r) => `${pick(r, APPS)}-${pick(r, ['role', 'irsa', 'task-role', 'lambda-exec', 'node-role'])}`,
  bucket: (r) => `${pick(r, ['acme', 'corp', 'team'])}-${pick(r, APPS)}-${pick(r, ['artifacts', 'uploads', 'logs', 'exports', 'data'])}`,
  queue: (r) => `${pick(r, APPS)}-${pick(r, ['events', 'jobs', 'tasks', 'notifications'])}${pick(r, ['', '-dlq', '.fifo'])}`,
  ddbtable: (r) => `${pick(r, APPS)}-${pick(r, ['table', 'sessions', 'state', 'idempotency'])}`,
  cluster: (r) => pick(r, ['prod-eks', 'staging-eks', 'platform-main', 'eks-prod-use1', 'shared-services', 'data-eks']),
  cm: (r) => `${pick(r, APPS)}-${pick(r, ['config', 'settings', 'env', 'properties'])}`,
  secret: (r) => `${pick(r, APPS)}-${pick(r, ['secret', 'db-credentials', 'tls', 'api-keys', 'token'])}`,
  key: (r) => pick(r, ['DATABASE_URL', 'API_KEY', 'password', 'application.yaml', 'config.json', 'REDIS_URL', 'tls.crt', 'token']),
  pvc: (r) => `${pick(r, ['data', 'storage', 'cache', 'uploads', 'wal'])}-${pick(r, APPS)}-${int(r, 0, 3)}`,
  sc: (r) => pick(r, ['gp3', 'gp2', 'fast-ssd', 'standard', 'ebs-sc', 'efs-sc', 'premium-rwo', 'io2']),
  pv: (r) => `pvc-${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
  vol: (r) => `vol-0${hex(r, 16)}`,
  zone: (r) => `${pick(r, REGIONS)}${pick(r, ['a', 'b', 'c'])}`,
  subnet: (r) => `subnet-0${hex(r, 16)}`,
  instance: (r) => `i-0${hex(r, 16)}`,
  taintkey: (r) =>
    pick(r, [
      'node.kubernetes.io/not-ready', 'dedicated', 'node.kubernetes.io/unreachable', 'gpu', 'node-role.kubernetes.io/control-plane',
      'node.kubernetes.io/disk-pressure', 'spot', 'workload',
    ]),
  taintval: (r) => pick(r, ['gpu', 'batch', 'infra', 'true', 'spot', 'ingress', 'monitoring']),
  sa: (r) => `${pick(r, APPS)}${pick(r, ['', '-sa', '-controller', '-reader'])}`,
  resource: (r) => pick(r, ['pods', 'secrets', 'configmaps', 'deployments', 'services', 'endpoints', 'nodes', 'events', 'leases', 'jobs']),
  verb: (r) => pick(r, ['list', 'get', 'watch', 'create', 'update', 'patch', 'delete']),
  apigroup: (r) => pick(r, ['""', '"apps"', '"batch"', '"coordination.k8s.io"', '"networking.k8s.io"']),
  job: (r) => `${pick(r, APPS)}-${pick(r, ['migrate', 'backfill', 'nightly-export', 'cleanup', 'report'])}${pick(r, ['', `-${int(r, 28000000, 29999999)}`])}`,
  hpa: (r) => pick(r, APPS),
  ingress: (r) => `${pick(r, APPS)}${pick(r, ['', '-ingress', '-public'])}`,
  ingclass: (r) => pick(r, ['nginx', 'alb', 'traefik', 'internal-nginx', 'public']),
  domain: (r) => `${pick(r, ['api', 'www', 'shop', 'admin', 'auth'])}.${pick(r, ['acme.io', 'example.com', 'shop.example.net'])}`,
  user: (r) => pick(r, ['alice@example.com', 'deploy-bot', 'ci', 'bob', 'arn:aws:iam::123456789012:user/ci-deployer']),
  service: (r) => pick(r, ['s3', 'dynamodb', 'sqs', 'sns', 'kms', 'secretsmanager', 'ssm', 'ec2', 'sts', 'logs', 'lambda', 'kinesis']),
  action: (r) =>
    pick(r, [
      's3:GetObject', 's3:PutObject', 'dynamodb:PutItem', 'dynamodb:Query', 'sqs:SendMessage', 'kms:Decrypt', 'secretsmanager:GetSecretValue',
      'ssm:GetParameter', 'sns:Publish', 'logs:PutLogEvents', 'ec2:DescribeInstances', 'lambda:InvokeFunction',
    ]),
  op: (r) => pick(r, ['PutItem', 'GetItem', 'Query', 'PutObject', 'GetObject', 'SendMessage', 'DescribeInstances', 'PutMetricData', 'Publish', 'GetSecretValue', 'PutRecords']),
  pid: (r) => String(int(r, 100, 65000)),
  proc: (r) => pick(r, ['java', 'node', 'python3', 'gunicorn', 'postgres', 'nginx', 'ruby', 'dotnet', 'server', 'envoy']),
  mi: (r) => String(pick(r, [128, 256, 512, 768, 1024, 2048, 4096])),
  cpu: (r) => pick(r, ['100m', '250m', '500m', '1', '2', '4', '1500m']),
  lang: (r) => pick(r, ['java', 'python', 'go', 'node']),
  path: (r) => pick(r, ['/api/v1/orders', '/checkout', '/v2/payments', '/graphql', '/api/cart/items', '/login', '/search', '/healthz']),
  method: (r) => pick(r, ['GET', 'POST', 'PUT', 'DELETE']),
  alb: (r) => `app/${pick(r, ['prod', 'public', 'internal'])}-${pick(r, APPS)}-alb/${hex(r, 16)}`,
  tg: (r) => `targetgroup/${pick(r, APPS)}-tg/${hex(r, 16)}`,
  time: (r) => `2026-11-${String(int(r, 1, 29)).padStart(2, '0')}T${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}Z`,
  age: (r) => pick(r, [`${int(r, 2, 59)}s`, `${int(r, 1, 59)}m`, `${int(r, 1, 23)}h`, `${int(r, 1, 59)}m${int(r, 1, 59)}s`]),
  file: (r) => pick(r, ['/etc/app/config.yaml', '/config/application.yml', '/app/settings.json', '/etc/nginx/nginx.conf', '/srv/config.toml', '/opt/app/conf/app.properties']),
  envvar: (r) => pick(r, ['DATABASE_URL', 'REDIS_HOST', 'API_TOKEN', 'KAFKA_BROKERS', 'AWS_REGION', 'JWT_SECRET', 'SERVICE_PORT']),
  module: (r) => pick(r, ['axios', 'aws-sdk', 'lodash', '@aws-sdk/client-s3', 'pg', 'sharp', 'uuid', 'express', './lib/handler', 'jsonwebtoken']),
  pymodule: (r) => pick(r, ['requests', 'boto3_helpers', 'pandas', 'psycopg2', 'numpy', 'app.handlers', 'yaml', 'pydantic']),
  handler: (r) => pick(r, ['index.handler', 'app.lambda_handler', 'dist/main.handler', 'src/handler.main', 'lambda_function.lambda_handler']),
  mount: (r) => pick(r, ['/var/lib/postgresql/data', '/data', '/var/log', '/tmp', '/var/lib/docker', '/', '/mnt/uploads', '/var/lib/kafka']),
  dev: (r) => pick(r, ['/dev/nvme1n1', '/dev/xvda1', '/dev/nvme0n1p1', '/dev/sdb', 'overlay']),
  metricval: (r) => String(int(r, 1, 9999)),
  alarm: (r) => `${pick(r, APPS)}-${pick(r, ['high-latency', 'errors', '5xx-rate', 'cpu-high', 'queue-depth', 'p99-latency', 'unhealthy-hosts'])}`,
  javaclass: (r) => pick(r, ['com.acme.orders.OrderService', 'com.acme.payments.Processor', 'org.example.cache.LruCache', 'com.acme.search.Indexer']),
  thread: (r) => pick(r, ['main', 'http-nio-8080-exec-3', 'pool-2-thread-1', 'kafka-consumer-1', 'scheduling-1', 'worker-7']),
  gofile: (r) => pick(r, ['main.go', 'server.go', 'handler.go', 'config.go', 'worker.go']),
  version: (r) => pick(r, [`v${int(r, 1, 4)}.${int(r, 0, 30)}.${int(r, 0, 9)}`, `${int(r, 1, 4)}.${int(r, 0, 30)}.${int(r, 0, 9)}`]),
  cert: (r) => `${pick(r, ['api', 'www', 'auth', 'internal', 'mtls'])}.${pick(r, ['acme.io', 'example.com', 'corp.local'])}`,
  ms: (r) => String(int(r, 1000, 60000)),
  uuid: (r) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
};

/**
 * Fills every slot of `template` from `rng`. `{{` and `}}` stand for literal braces; a `{` whose body is
 * not a slot (e.g. JSON) is kept as is.
 * @throws Error naming the slot when a `{name}` has no pool, so a typo in a template fails loudly.
 */
export function fill(template: string, rng: Rng): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') { out += '{'; i += 2; continue; }
    if (c === '}' && template[i + 1] === '}') { out += '}'; i += 2; continue; }
    if (c === '{') {
      const end = template.indexOf('}', i);
      const body = end < 0 ? '' : template.slice(i + 1, end);
      const range = /^n:(\d+)-(\d+)$/.exec(body);
      if (body && !body.includes('{') && (range || body.includes('|') || POOLS[body] || /^[a-z]+$/.test(body))) {
        if (range) out += String(int(rng, Number(range[1]), Number(range[2])));
        else if (body.includes('|')) out += pick(rng, body.split('|'));
        else {
          const pool = POOLS[body];
          if (!pool) throw new Error(`corpus template slot {${body}} has no pool (template: ${template})`);
          out += pool(rng);
        }
        i = end + 1;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { redact } from '../../functions/core/stages/compose/index.js';

// Secrets below are made up for these tests (AWS's documented example keys and invented values).
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION = `IQoJb3JpZ2luX2VjE${'Kx9vZ2hY3tT7'.repeat(12)}==`;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

const cases: Array<{ name: string; input: string; expected: string; kind: string; count?: number }> = [
  {
    name: 'AWS access key id (AKIA)',
    input: 'credentials AKIAIOSFODNN7EXAMPLE rejected by sts',
    expected: 'credentials [REDACTED:aws-access-key-id] rejected by sts',
    kind: 'aws-access-key-id',
  },
  {
    name: 'temporary access key id (ASIA) inside JSON',
    input: '{"AccessKeyId":"ASIAY34FZKBOKMUTVV7A","Expiration":"2026-11-30T08:00:00Z"}',
    expected: '{"AccessKeyId":"[REDACTED:aws-access-key-id]","Expiration":"2026-11-30T08:00:00Z"}',
    kind: 'aws-access-key-id',
  },
  {
    name: 'secret access key in a credentials file',
    input: `aws_secret_access_key = ${SECRET_KEY}\nregion = eu-west-1`,
    expected: 'aws_secret_access_key = [REDACTED:aws-secret-access-key]\nregion = eu-west-1',
    kind: 'aws-secret-access-key',
  },
  {
    name: 'SecretAccessKey in STS JSON',
    input: `"SecretAccessKey": "${SECRET_KEY}",`,
    expected: '"SecretAccessKey": "[REDACTED:aws-secret-access-key]",',
    kind: 'aws-secret-access-key',
  },
  {
    name: 'session token next to its key',
    input: `export AWS_SESSION_TOKEN=${SESSION} && run`,
    expected: 'export AWS_SESSION_TOKEN=[REDACTED:aws-session-token] && run',
    kind: 'aws-session-token',
  },
  {
    name: 'session token alone, recognised by its prefix',
    input: `token was ${SESSION} (expired)`,
    expected: 'token was [REDACTED:aws-session-token] (expired)',
    kind: 'aws-session-token',
  },
  {
    name: 'JWT anywhere',
    input: `cookie session=${JWT}; Path=/`,
    expected: 'cookie session=[REDACTED:jwt]; Path=/',
    kind: 'jwt',
  },
  {
    name: 'bearer token (not a JWT)',
    input: 'GET /v1/orders Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0 200',
    expected: 'GET /v1/orders Authorization: Bearer [REDACTED:bearer-token] 200',
    kind: 'bearer-token',
  },
  {
    name: 'basic credentials',
    input: 'Authorization: Basic YWRtaW46aHVudGVyMg== from 10.0.0.1',
    expected: 'Authorization: Basic [REDACTED:basic-auth] from 10.0.0.1',
    kind: 'basic-auth',
  },
  {
    name: 'password in a postgres URL',
    input: 'error connecting to postgres://app:p%40ss-w0rd@db.internal:5432/orders: timeout',
    expected: 'error connecting to postgres://app:[REDACTED:password-in-url]@db.internal:5432/orders: timeout',
    kind: 'password-in-url',
  },
  {
    name: 'password in a redis URL with an empty user',
    input: 'REDIS_URL=redis://:topsecret@cache:6379/0',
    expected: 'REDIS_URL=redis://:topsecret@cache:6379/0'.replace('topsecret', 'topsecret'),
    kind: 'none',
  },
  {
    name: 'password in an ADO.NET connection string',
    input: 'Server=tcp:sql.prod,1433;Database=orders;User ID=app;Password=Tr0ub4dor&3;Encrypt=True;',
    expected: 'Server=tcp:sql.prod,1433;Database=orders;User ID=app;Password=[REDACTED:connection-string-password];Encrypt=True;',
    kind: 'connection-string-password',
  },
  {
    name: 'PEM private key block',
    input: 'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\nq2Zk+3w==\n-----END RSA PRIVATE KEY-----\nend',
    expected: 'key:\n[REDACTED:private-key]\nend',
    kind: 'private-key',
  },
  {
    name: 'PEM private key escaped on one log line',
    input: '{"tls_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}',
    expected: '{"tls_key":"[REDACTED:private-key]\\n"}',
    kind: 'private-key',
  },
  {
    name: 'e-mail address',
    input: 'notify oncall.payments+pager@example.co.uk failed',
    expected: 'notify [REDACTED:email] failed',
    kind: 'email',
  },
  {
    name: 'generic password=',
    input: 'login attempt user=bob password=hunter2 result=denied',
    expected: 'login attempt user=bob password=[REDACTED:password] result=denied',
    kind: 'password',
  },
  {
    name: 'generic quoted secret in YAML',
    input: '  client_secret: "a b c d"  # rotate',
    expected: '  client_secret: "[REDACTED:secret]"  # rotate',
    kind: 'secret',
  },
  {
    name: 'generic token= in a query string',
    input: 'GET /hook?token=abc123def456&id=7 HTTP/1.1',
    expected: 'GET /hook?token=[REDACTED:token]&id=7 HTTP/1.1',
    kind: 'token',
  },
  {
    name: 'generic api_key in env',
    input: 'STRIPE_API_KEY=sk_test_51Habc',
    expected: 'STRIPE_API_KEY=[REDACTED:api-key]',
    kind: 'api-key',
  },
];

describe('redact', () => {
  for (const c of cases.filter((c) => c.kind !== 'none')) {
    it(`masks ${c.name} and keeps the rest byte-exact`, () => {
      const result = redact(c.input);
      expect(result.text).toBe(c.expected);
      expect(result.redactions).toEqual([{ kind: c.kind, count: c.count ?? 1 }]);
    });
  }

  it('masks the password of a URL with an empty user name', () => {
    expect(redact('REDIS_URL=redis://:topsecret@cache:6379/0').text).toBe(
      'REDIS_URL=redis://:[REDACTED:password-in-url]@cache:6379/0',
    );
  });

  it('counts several secrets per kind', () => {
    const result = redact('a@example.com b@example.org key AKIAIOSFODNN7EXAMPLE');
    expect(result.text).toBe('[REDACTED:email] [REDACTED:email] key [REDACTED:aws-access-key-id]');
    expect(result.redactions).toEqual(
      expect.arrayContaining([
        { kind: 'email', count: 2 },
        { kind: 'aws-access-key-id', count: 1 },
      ]),
    );
  });

  it('masks a bearer JWT once, as a JWT', () => {
    const result = redact(`Authorization: Bearer ${JWT}`);
    expect(result.text).toBe('Authorization: Bearer [REDACTED:jwt]');
    expect(result.redactions).toEqual([{ kind: 'jwt', count: 1 }]);
  });

  it('is idempotent: redacting a redacted text changes nothing', () => {
    const once = redact(cases.map((c) => c.input).join('\n')).text;
    const twice = redact(once);
    expect(twice.text).toBe(once);
    expect(twice.redactions).toEqual([]);
  });

  it('leaves ordinary Kubernetes and log lines untouched', () => {
    const lines = [
      '  Warning  Failed  12s  kubelet  Error: secret "db-credentials" not found',
      "      DB_PASSWORD:  <set to the key 'password' in secret 'db-credentials'>  Optional: false",
      '  Warning  Unhealthy  3s  kubelet  Readiness probe failed: Get "http://10.0.3.7:8080/healthz": context deadline exceeded',
      'Failed to pull image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2": not found',
      '    Image ID:  docker.io/library/nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      'token_type=bearer expires_in=3600',
      'SecretName: db-credentials',
      'Token: <none>',
      'arn:aws:iam::123456789012:role/AROAEXAMPLEID',
    ];
    for (const line of lines) {
      const result = redact(line);
      expect(result.text, line).toBe(line);
      expect(result.redactions).toEqual([]);
    }
  });

  it('keeps non-ASCII text and line endings exactly', () => {
    const input = 'Fehler: Verbindung zu «db» fehlgeschlagen\r\npassword=geheim\r\n';
    expect(redact(input).text).toBe('Fehler: Verbindung zu «db» fehlgeschlagen\r\npassword=[REDACTED:password]\r\n');
  });

  it('stays fast on adversarial inputs (no super-linear backtracking)', () => {
    const n = 200_000;
    const inputs = ['a_'.repeat(n / 2), 'a.'.repeat(n / 2), 'a-'.repeat(n / 2), `a@${'b.'.repeat(n / 2)}1`, 'Password='.repeat(n / 9), "password: '".repeat(n / 11), 'x://a:'.repeat(n / 6)];
    for (const input of inputs) {
      const started = performance.now();
      redact(input);
      // Quadratic patterns took 50-80 s here; linear ones take well under 0.1 s.
      expect(performance.now() - started, input.slice(0, 12)).toBeLessThan(3000);
    }
  });
});

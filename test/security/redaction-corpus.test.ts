/**
 * Secret probes across carriers (evidence lines, alarm dimensions, labels, log samples, finding
 * messages, degradation reasons) and outputs (diagnosis JSON, Markdown, text, HTML, the message):
 * no probe's secret may reach any output. Issue 14, section 2.
 */
import { describe, expect, it } from 'vitest';
import { compose, renderMarkdown, renderText, redact, redactDeep, redactingReplacer } from '../../functions/core/stages/compose/index.js';
import { renderHtml } from '../../functions/core/stages/compose/html/index.js';
import { incidentMessage } from '../../functions/core/stages/deliver/index.js';
import { makeIncident, makeParts } from '../compose/fixtures/diagnosis.js';

/** Secrets that identify themselves by shape alone: they are masked under any key. */
const SHAPED: ReadonlyArray<readonly [string, string]> = [
  ['aws access key id', 'AKIAQYLPMN5HHHFPZAM2'],
  ['aws temporary key id', 'ASIAQYLPMN5HFWDVXK3T'],
  ['aws session token', `IQoJb3JpZ2luX2VjEJr${'a1B2c3D4'.repeat(8)}`],
  ['jwt', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ['github token', `ghp_${'a1B2c3D4e5'.repeat(4)}`],
  ['github fine-grained token', `github_pat_11ABCDEFG0${'x1Y2z3'.repeat(10)}`],
  ['slack bot token', 'xoxb-2873649187-2873649187-Qx7kPLmNbVcXzA'],
  ['google api key', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
  ['stripe secret key', 'sk_live_51Hx7Yz2eZvKYlo2C9x8w7v6u5t4s3r2q'],
  ['stripe restricted key', 'rk_test_51Hx7Yz2eZvKYlo2Cabcdefgh12'],
  ['stripe webhook secret', 'whsec_5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c'],
  ['openai project key', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'],
  ['openai legacy key', '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'],
  ['gitlab token', 'glpat-Xy7Zq2Wv9Ut4Sr1Qp6On'],
  ['gitlab deploy token', 'gldt-Xy7Zq2Wv9Ut4Sr1Qp6On3m'],
  ['npm token', 'npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3d'],
  ['pem body line', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj'],
];

/** Secrets recognised by their context in a line: a key, a header, a URL. `[line, secret]`. */
const IN_CONTEXT: ReadonlyArray<readonly [string, string]> = [
  ['password=Hunter2024x', 'Hunter2024x'],
  ['DB_PASSWORD: Qw3rtyPass!', 'Qw3rtyPass!'],
  ['DB_PASS=Pa55wordZ', 'Pa55wordZ'],
  ['SECRET_KEY_BASE=0f1e2d3c4b5a69788796a5b4c3d2e1f0', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  ['client_secret: "cs-7Hq2Lm9Xp4"', 'cs-7Hq2Lm9Xp4'],
  ['"api_key": "k9F2mX7qL3pZ"', 'k9F2mX7qL3pZ'],
  ['GET /hook?token=tk88Zq1Lm2&id=7', 'tk88Zq1Lm2'],
  ['password=abc,def9,ghi next=1', 'abc,def9,ghi'],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'],
  ['Authorization: Bearer 4f9a8b7c6d5e4f3a2b1c', '4f9a8b7c6d5e4f3a2b1c'],
  ['Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'YWxhZGRpbjpvcGVuc2VzYW1l'],
  ['connecting to postgres://app:S3cr3tPw@db.internal:5432/orders', 'S3cr3tPw'],
  ['Server=tcp:sql,1433;User ID=app;Password=Zx9Cv8Bn7;Encrypt=True;', 'Zx9Cv8Bn7'],
  ['DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net', 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'],
  ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=Kq9Zb2Xc7Vn4Mm1Ll0Kk8Jj6Hh5Gg3Ff=', 'Kq9Zb2Xc7Vn4Mm1Ll0Kk8Jj6Hh5Gg3Ff'],
  ['GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1%3D 403', 'Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1'],
  ['POST https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1 failed', 'Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1'],
  ['Cookie: session=s%3Aq8Zx7Yw6; csrftoken=Mn4Bv3Cx2', 's%3Aq8Zx7Yw6'],
  ['Set-Cookie: sid=Rt5Yu6Io7Pp8; Path=/; HttpOnly; Secure', 'Rt5Yu6Io7Pp8'],
  ['{"name":"STRIPE_TOKEN","value":"tok9Xy8Wz7"}', 'tok9Xy8Wz7'],
  ['notify oncall.lead@example.org failed', 'oncall.lead@example.org'],
];

/** Multi-line carriers: the secret is on another line than its key. `[text, secret]`. */
const MULTI_LINE: ReadonlyArray<readonly [string, string]> = [
  ['env:\n- name: DB_PASSWORD\n  value: Pl4inT3xtPw\n- name: LOG_LEVEL\n  value: debug', 'Pl4inT3xtPw'],
  ['env:\n  - value: "Vb8Nm7Qw1"\n    name: API_KEY', 'Vb8Nm7Qw1'],
  ['apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMjAyNHg=\n  username: YWRtaW4=', 'aHVudGVyMjAyNHg='],
  ['apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  token: Zz9Yy8Xx7Ww6', 'Zz9Yy8Xx7Ww6'],
  ['{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"c2VjcmV0UHc5OQ=="}}', 'c2VjcmV0UHc5OQ=='],
  ['config:\n  password: |\n    M0reLin3sS3cret\n  user: bob', 'M0reLin3sS3cret'],
  ['auth:\n  token:\n    Tk7Lm8Np9Qr0\n  retries: 3', 'Tk7Lm8Np9Qr0'],
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6'],
];

type Carrier = (value: string) => ReturnType<typeof makeParts>;

/** Where input text can reach a diagnosis. Key-value carriers use keys once kept verbatim. */
const CARRIERS: Record<string, { carrier: Carrier; shapedOnly?: boolean }> = {
  'evidence line': {
    carrier: (v) => {
      const parts = makeParts();
      const [h, ...rest] = parts.hypotheses;
      return { ...parts, hypotheses: [{ ...h!, evidence: [...h!.evidence, { text: v, source: 'app.log', line: 9 }] }, ...rest] };
    },
  },
  'alarm dimension `id`': {
    shapedOnly: true,
    carrier: (v) => {
      const base = makeIncident();
      return makeParts({ incident: { ...base, alarm: { ...base.alarm!, metrics: [{ ...base.alarm!.metrics![0]!, dimensions: { id: v, key: v } }] } } });
    },
  },
  'label `source`': { shapedOnly: true, carrier: (v) => makeParts({ incident: makeIncident({ labels: { source: v, type: v, kind: v } }) }) },
  'incident reason': { carrier: (v) => makeParts({ incident: makeIncident({ reason: `Threshold crossed: ${v}` }) }) },
  'log pattern sample': {
    carrier: (v) => {
      const parts = makeParts();
      const p = parts.analysis.patterns[0]!;
      return { ...parts, analysis: { ...parts.analysis, patterns: [{ ...p, template: v, samples: [{ text: v, source: 'app.log', line: 3 }] }] } };
    },
  },
  'degradation reason': { carrier: (v) => makeParts({ degraded: [{ component: 'collect', kind: 'error', reason: `fetch failed: ${v}` }] }) },
};

function outputs(parts: ReturnType<typeof makeParts>): Record<string, string> {
  const d = compose(parts);
  const message = incidentMessage(d);
  return { json: JSON.stringify(d), markdown: renderMarkdown(d), text: renderText(d), html: renderHtml(d), message: `${message.subject}\n${message.body}` };
}

const probes: Array<{ name: string; text: string; secret: string; carrier: string }> = [];
for (const [carrierName, { shapedOnly }] of Object.entries(CARRIERS)) {
  for (const [name, secret] of SHAPED) probes.push({ name, text: secret, secret, carrier: carrierName });
  if (shapedOnly) continue;
  for (const [text, secret] of IN_CONTEXT) probes.push({ name: text.slice(0, 40), text, secret, carrier: carrierName });
  if (carrierName === 'evidence line' || carrierName === 'log pattern sample') {
    for (const [text, secret] of MULTI_LINE) probes.push({ name: text.slice(0, 40).replace(/\n/g, '⏎'), text, secret, carrier: carrierName });
  }
}

describe('secret probes across carriers and outputs', () => {
  it(`holds ${probes.length} probes (at least 100)`, () => {
    expect(probes.length).toBeGreaterThanOrEqual(100);
  });

  it.each(probes)('$carrier: $name', ({ text, secret, carrier }) => {
    for (const [output, rendered] of Object.entries(outputs(CARRIERS[carrier]!.carrier(text)))) {
      expect(rendered.includes(secret), `${output} leaks it`).toBe(false);
    }
  });

  it('keeps the words around a secret: messages, codes and names stay quotable', () => {
    for (const line of [
      'ExpiredToken: The security token included in the request is expired',
      'InvalidClientTokenId: The security token included in the request is invalid.',
      'x509: certificate signed by unknown authority',
      'Error: secret "db-creds" not found',
      '  Warning  FailedMount  kubelet  MountVolume.SetUp failed for volume "creds" : secret "db-creds" not found',
      'AccessDeniedException: User: arn:aws:sts::*:assumed-role/app/i-0abc is not authorized to perform: kms:Decrypt',
      'failed to fetch secret arn:aws:secretsmanager:us-west-2:*:secret:DBPasswordSecret-* from secrets manager',
      '(RequestToken: f64cd8d2-688e-c32b-16e4-e2f891081a59, HandlerErrorCode: GeneralServiceException)',
      'UnrecognizedClientException: The security token included in the request is invalid',
      'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.',
      'pod sk-payments-worker-7f9c6d5b4-x2x9z restarted',
      'volumes:\n- name: creds\n  secret:\n    secretName: db-creds',
      'token_type=bearer expires_in=3600',
    ]) expect(redact(line).text, line).toBe(line);
  });
});

describe('one redactor for the other outputs', () => {
  it('redacts answers and API bodies built outside compose (redactDeep)', () => {
    const body = { answer: `Found password=Hunter2024x in ${SHAPED[0]![1]}`, citations: [{ text: `Authorization: Bearer ${SHAPED[3]![1]}` }], n: 3 };
    const out = JSON.stringify(redactDeep(body));
    expect(out).not.toContain('Hunter2024x');
    expect(out).not.toContain(SHAPED[0]![1]);
    expect(out).not.toContain(SHAPED[3]![1]);
    expect(redactDeep(body).n).toBe(3);
  });

  it("redacts the functions' own log records, errors included (Powertools jsonReplacerFn)", () => {
    const error = new Error(`cannot parse {"password":"Hunter2024x","key":"${SHAPED[0]![1]}"}`);
    const line = JSON.stringify({ message: 'record failed', payload: `token=${SHAPED[4]![1]}`, error }, redactingReplacer);
    for (const secret of ['Hunter2024x', SHAPED[0]![1], SHAPED[4]![1]]) expect(line).not.toContain(secret);
    expect(line).toContain('record failed');
  });
});

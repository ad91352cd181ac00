/**
 * Secret redaction, in the manner of k8sgpt's anonymization: every secret found is replaced by a
 * typed mask `[REDACTED:<kind>]`, everything else is kept byte for byte, and the number of masks
 * per kind is recorded (never the masked text).
 *
 * Formats matched (sources):
 * - AWS access key ids: 20 characters, prefix `AKIA` (long-term) / `ASIA` (STS temporary) and
 *   the other key prefixes of the IAM User Guide, "Unique identifiers"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html).
 * - AWS secret access keys: 40 base64 characters next to `aws_secret_access_key` /
 *   `SecretAccessKey` (the CLI credentials file and STS `Credentials` JSON).
 * - AWS session tokens: long base64 next to `aws_session_token` / `SessionToken` /
 *   `X-Amz-Security-Token`, or starting with the STS token prefixes `FwoGZXIvYXdz` / `IQoJb3JpZ2lu`.
 * - JWTs (RFC 7519: three base64url parts, the header a JSON object so it starts `eyJ`), bearer
 *   tokens (RFC 6750 `Authorization: Bearer`), basic credentials (RFC 7617).
 * - Passwords in URLs (RFC 3986 userinfo `user:password@`) and in ADO.NET/JDBC-style connection
 *   strings (`Password=…;`, `Pwd=…;`).
 * - PEM private keys (RFC 7468 `-----BEGIN … PRIVATE KEY-----`).
 * - E-mail addresses (a practical subset of RFC 5322 `local@domain.tld`).
 * - Generic `key=value` / `key: value` pairs whose key ends in password, passwd, pass, pwd,
 *   secret, token, credential, api_key/apikey, access_key (also `SECRET_KEY_BASE`, `DB_PASS`);
 *   unquoted values may hold commas (`password=a,b`) but a `, next=` starts the next pair. A
 *   value that is a plain word followed by more prose (`ExpiredToken: The security token…`) is a
 *   message, not a secret, and is kept.
 * - Vendor tokens by their documented prefixes: Google API keys (`AIza`), Stripe secret and
 *   restricted keys (`sk_live_`, `rk_test_`, `whsec_`), OpenAI (`sk-proj-`, `sk-…T3BlbkFJ…`),
 *   GitLab (`glpat-` and the other `gl…-` prefixes), npm (`npm_`), Slack webhooks
 *   (`hooks.slack.com/services/…`), Azure storage account keys and SAS signatures
 *   (`AccountKey=`, `SharedAccessKey=`, `sig=`).
 * - Cookies: every value of a `Cookie:` header, the value of a `Set-Cookie:` (not its attributes).
 * - Multi-line carriers, in a line pass: YAML block scalars and next-line values under a secret
 *   key, Kubernetes env entries given as `name:`/`value:` pairs whose name looks secret, and the
 *   `data`/`stringData` of `Secret` objects (YAML and JSON).
 *
 * Every pattern runs in linear time: a match can only start where a run of its characters starts
 * (a look-behind), and quantifiers that could scan the same text twice are bounded
 * (`test/security/linear-time.test.ts` checks growth on adversarial megabyte lines).
 */
import type { Redaction } from '../../model/diagnosis.js';

/** The mask written in place of a secret of `kind`. */
export function mask(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Result of {@link redact}. */
export interface RedactResult {
  readonly text: string;
  /** One entry per kind that matched, with its count; empty when nothing was masked. */
  readonly redactions: Redaction[];
}

interface Rule {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Returns the replacement for one match; default: the whole match becomes the mask. */
  readonly replace?: (match: RegExpExecArray, maskOf: (kind: string) => string) => string | undefined;
}

/** Values that are placeholders, not secrets: kubectl's `<none>`, templates, earlier masks. */
const PLACEHOLDER = /^(?:<[^>]*>?|\[REDACTED:|\$\{|\{\{|\$\(|\*{3,}|null$|none$|true$|false$|""$|''$|[|>][-+0-9]{0,3}$)/i;

// The key starts where a run of key characters starts and its prefix is bounded ({0,40}), so that
// matching stays linear on long runs such as base64url.
const GENERIC_KEY =
  '[A-Za-z0-9_.-]{0,40}?(?:password|passwd|pwd|secret|token|credentials?|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|(?<![A-Za-z0-9])pass(?:phrase)?)(?:[_.-](?:key(?:[_.-]base)?|base|value|string))?';

/** Tokens that identify a request or a page, not a caller (AWS `ClientRequestToken`, `NextToken`). */
const NOT_SECRET_TOKEN_KEY = /(?:request|client|next|continuation|page|pagination|idempotency|cancel|cancellation|sync|resume)[_-]?token$/i;

/** Names of environment variables or keys whose value is a secret (Kubernetes env `name:`). */
const SECRET_NAME = /(?:pass|pwd|secret|token|key|credential|private)/i;

const RULES: readonly Rule[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY-----(?:[\s\S]{0,16384}?-----END \1PRIVATE KEY-----|(?:[A-Za-z0-9+/=]|\\n|\r?\n){0,16384})/g,
  },
  {
    // A line of PEM body alone (a multi-line key split into log events): 60-76 base64 characters
    // with upper case, lower case and digits, nothing else on the line (RFC 7468 lines are 64).
    kind: 'private-key',
    // Also at the end of a log line after its prefix ("… ERROR MIIEow…"), as key lines logged one by one appear.
    pattern: /(?:^|(?<=[ \t]))(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{60,76}={0,2}[ \t]*$/gm,
  },
  {
    // GitHub tokens (github.blog "Behind GitHub's new authentication token formats").
    kind: 'github-token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  {
    // Slack tokens (api.slack.com "Token types").
    kind: 'slack-token',
    pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,255}/g,
  },
  {
    kind: 'jwt',
    // Starts only where a run of base64url characters starts: `\b` let every `eyJ` inside a run
    // of `eyJ-eyJ-…` start a scan to the end of the run (quadratic).
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  },
  {
    kind: 'bearer-token',
    pattern: /\b(Bearer[ \t]+)(?!\[REDACTED:)(?=[A-Za-z0-9\-._~+/]*\d)([A-Za-z0-9\-._~+/]{8,}=*)(?![A-Za-z0-9\-._~+/=])/gi,
    replace: (m, maskOf) => `${m[1]}${maskOf('bearer-token')}`,
  },
  {
    kind: 'basic-auth',
    pattern: /\b(Authorization:[ \t]*Basic[ \t]+)([A-Za-z0-9+/]{8,}=*)/gi,
    replace: (m, maskOf) => `${m[1]}${maskOf('basic-auth')}`,
  },
  {
    kind: 'aws-session-token',
    pattern:
      /((?:aws_session_token|AWS_SESSION_TOKEN|SessionToken|sessionToken|session_token|X-Amz-Security-Token)["']?[ \t]*[:=][ \t]*["']?)([A-Za-z0-9/+=%]{100,})/g,
    replace: (m, maskOf) => `${m[1]}${maskOf('aws-session-token')}`,
  },
  {
    kind: 'aws-session-token',
    pattern: /\b(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{40,}/g,
  },
  {
    kind: 'aws-secret-access-key',
    pattern:
      /((?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secretAccessKey|secret_access_key)["']?[ \t]*[:=][ \t]*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/g,
    replace: (m, maskOf) => `${m[1]}${maskOf('aws-secret-access-key')}`,
  },
  {
    // A secret access key written right after its key id (`AKIA… wJalr…`, `id:secret`, `id/secret`):
    // 40 characters of the key's alphabet, with no label of its own.
    kind: 'aws-secret-access-key',
    pattern: /((?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}["']?[ \t:,;=|/]{1,3}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    replace: (m, maskOf) => `${m[1]}${maskOf('aws-secret-access-key')}`,
  },
  {
    kind: 'aws-access-key-id',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  },
  {
    kind: 'password-in-url',
    pattern: /(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]{0,30}:\/\/[^\s:/@'"]{0,256}:)(?!\[REDACTED:)([^\s@/'"]{1,256})@/g,
    replace: (m, maskOf) => `${m[1]}${maskOf('password-in-url')}@`,
  },
  {
    kind: 'connection-string-password',
    pattern: /(^|[;"'\s])((?:Password|Pwd)[ \t]*=[ \t]*)([^;"'\r\n]{0,256})(?=;)/gi,
    replace: (m, maskOf) => (m[3] && !PLACEHOLDER.test(m[3]) ? `${m[1]}${m[2]}${maskOf('connection-string-password')}` : undefined),
  },
  {
    // Azure storage account keys and Service Bus / Event Hubs keys in connection strings.
    kind: 'azure-key',
    pattern: /(^|[;"'\s])((?:AccountKey|SharedAccessKey)[ \t]*=[ \t]*)([A-Za-z0-9+/=%]{8,512})/gi,
    replace: (m, maskOf) => `${m[1]}${m[2]}${maskOf('azure-key')}`,
  },
  {
    // Azure SAS signature in a URL or connection string.
    kind: 'azure-key',
    pattern: /([?&;]sig=)([A-Za-z0-9%+/=]{20,512})/g,
    replace: (m, maskOf) => `${m[1]}${maskOf('azure-key')}`,
  },
  {
    // Google API keys (cloud.google.com "API keys": `AIza` + 35 characters).
    kind: 'google-api-key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    // Stripe secret, restricted and webhook signing keys (docs.stripe.com "API keys").
    kind: 'stripe-key',
    pattern: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,247}|whsec_[0-9A-Za-z]{20,247})(?![0-9A-Za-z])/g,
  },
  {
    // OpenAI keys: project/service keys `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`; legacy keys are
    // `sk-` + mixed-case alphanumerics (never a lower-case, dash-separated Kubernetes name).
    kind: 'openai-key',
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,512}|(?=[A-Za-z0-9]{0,200}[A-Z])(?=[A-Za-z0-9]{0,200}[a-z])(?=[A-Za-z0-9]{0,200}[0-9])[A-Za-z0-9]{32,200})(?![A-Za-z0-9_-])/g,
  },
  {
    // GitLab tokens (docs.gitlab.com "Token prefixes").
    kind: 'gitlab-token',
    pattern: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ffct|agent|ft|wt)-[0-9A-Za-z_-]{20,255}/g,
  },
  {
    // npm access tokens (github.blog "npm automation tokens": `npm_` + 36).
    kind: 'npm-token',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
  },
  {
    // Slack incoming webhooks: the path after /services/ is the credential.
    kind: 'slack-webhook',
    pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/-]{8,255})/g,
    replace: (m, maskOf) => (m[2]!.startsWith('[REDACTED') ? undefined : `${m[1]}${maskOf('slack-webhook')}`),
  },
  {
    // `Cookie:` carries only secrets (every value); `Set-Cookie:` one value, then attributes.
    kind: 'cookie',
    pattern: /(?<![A-Za-z0-9-])((Set-)?Cookie["']?[ \t]*:[ \t]*["']?)([^\r\n"']{1,4096})/gi,
    replace: (m, maskOf) => {
      const pairs = m[3]!.split(';');
      let changed = false;
      const out = pairs.map((pair, i) => {
        if (m[2] && i > 0) return pair;
        const eq = pair.indexOf('=');
        const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
        if (!value || PLACEHOLDER.test(value)) return pair;
        changed = true;
        return `${pair.slice(0, eq + 1)}${maskOf('cookie')}`;
      });
      return changed ? `${m[1]}${out.join(';')}` : undefined;
    },
  },
  {
    // Kubernetes env entries in JSON: `{"name": "DB_PASSWORD", "value": "…"}` (either order).
    kind: 'secret-env',
    pattern: /("name"[ \t]*:[ \t]*"([^"\\\r\n]{1,256})"[ \t]*,[ \t]*"value"[ \t]*:[ \t]*")((?:[^"\\\r\n]|\\.){1,4096})"|("value"[ \t]*:[ \t]*")((?:[^"\\\r\n]|\\.){1,4096})("[ \t]*,[ \t]*"name"[ \t]*:[ \t]*"([^"\\\r\n]{1,256})")/g,
    replace: (m, maskOf) => {
      const [name, value] = m[1] ? [m[2]!, m[3]!] : [m[7]!, m[5]!];
      if (!SECRET_NAME.test(name) || PLACEHOLDER.test(value)) return undefined;
      return m[1] ? `${m[1]}${maskOf('secret-env')}"` : `${m[4]}${maskOf('secret-env')}${m[6]}`;
    },
  },
  {
    // `data` / `stringData` of a Kubernetes Secret in JSON (only when the text names a Secret).
    kind: 'kubernetes-secret',
    pattern: /("(?:data|stringData)"[ \t]*:[ \t]*\{)([^{}]{0,1048576})\}/g,
    replace: (m, maskOf) => {
      if (!/"kind"[ \t]*:[ \t]*"Secret"/.test(m.input)) return undefined;
      let changed = false;
      const body = m[2]!.replace(/("[^"\\\r\n]{1,256}"[ \t\r\n]*:[ \t\r\n]*")((?:[^"\\]|\\.){1,65536})"/g, (_all, head: string, value: string) => {
        if (PLACEHOLDER.test(value)) return `${head}${value}"`;
        changed = true;
        return `${head}${maskOf('kubernetes-secret')}"`;
      });
      return changed ? `${m[1]}${body}}` : undefined;
    },
  },
  {
    kind: 'secret-value',
    // An unquoted value may hold commas (`password=a,b`); a comma followed by a space or by the
    // next `key=` ends it.
    pattern: new RegExp(
      `(?<![A-Za-z0-9_.:-])(${GENERIC_KEY})(?![A-Za-z0-9])(["']?[ \\t]*[:=][ \\t]*)(?:(["'])((?:(?!\\3)[^\\\\\\r\\n]|\\\\.){0,512})\\3|((?:[^\\s"',;&)}\\]]|,(?![\\s,]|[A-Za-z0-9_.-]{1,40}[:=]))(?:[^\\s"',;&)}\\]]|,(?![\\s,]|[A-Za-z0-9_.-]{1,40}[:=])){0,511}))`,
      'gi',
    ),
    replace: (m, maskOf) => {
      const value = m[4] ?? m[5] ?? '';
      if (!value || PLACEHOLDER.test(value)) return undefined;
      if (isProse(m, value) || NOT_SECRET_TOKEN_KEY.test(m[1] ?? '')) return undefined;
      const key = (m[1] ?? '').toLowerCase();
      const kind = /pass|pwd/.test(key)
        ? 'password'
        : /api[_-]?key|apikey|access[_-]?key/.test(key)
          ? 'api-key'
          : /token/.test(key)
            ? 'token'
            : 'secret';
      const quote = m[3] ?? '';
      return `${m[1]}${m[2]}${quote}${maskOf(kind)}${quote}`;
    },
  },
  {
    kind: 'email',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g,
  },
];

/**
 * A value after `key:` that is a plain word followed by more words is a message that names a
 * token (`ExpiredToken: The security token included in the request is expired`), not a secret.
 */
function isProse(m: RegExpExecArray, value: string): boolean {
  if (m[4] !== undefined || !/^[A-Za-z]+$/.test(value) || !(m[2] ?? '').includes(':') || (m[2] ?? '').includes('=')) return false;
  const after = m.input.slice(m.index + m[0].length, m.index + m[0].length + 3);
  return /^[ \t]+[A-Za-z]/.test(after);
}

const YAML_SECRET_KEY = new RegExp(`^([ \\t]*)(?:-[ \\t]+)?["']?(?:${GENERIC_KEY})["']?[ \\t]*:[ \\t]*([|>][-+0-9]{0,3})?[ \\t]*\\r?$`, 'i');
const YAML_MAPPING_LINE = /^[ \t]*(?:-(?:[ \t]|$)|["']?[A-Za-z0-9_.\/-]{1,256}["']?[ \t]*:(?:[ \t]|\r?$))/;
const YAML_ENV_NAME = /^([ \t]*)(-[ \t]+)?name:[ \t]*["']?([^"'\s]{1,256})["']?[ \t]*\r?$/;
const YAML_ENV_VALUE = /^([ \t]*(?:-[ \t]+)?value:[ \t]*)(["']?)([^\r]{1,4096}?)\2([ \t]*\r?)$/;
const YAML_SECRET_KIND = /^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?Secret["']?[ \t]*\r?$/;
const YAML_DATA = /^([ \t]*)(?:-[ \t]+)?(?:data|stringData):[ \t]*\r?$/;
const YAML_DATA_ENTRY = /^([ \t]*)(["']?[^:\s"']{1,256}["']?:[ \t]*)(["']?)([^\r]{1,65536}?)\3([ \t]*\r?)$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The line pass: secrets whose key and value sit on different lines. One pass over the lines,
 * each line looked at a bounded number of times.
 */
function redactLines(text: string, maskOf: (kind: string) => string): string {
  const lines = text.split('\n');
  let changed = false;
  const set = (i: number, line: string): void => {
    if (lines[i] !== line) changed = true;
    lines[i] = line;
  };
  const isBlank = (line: string): boolean => line.trim() === '';
  // Secret documents (YAML): `---` separates documents.
  const secretDocs: boolean[] = [];
  let doc = 0;
  for (const line of lines) {
    if (line.startsWith('---')) doc++;
    else if (YAML_SECRET_KIND.test(line)) secretDocs[doc] = true;
  }
  doc = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('---')) doc++;
    // A secret key whose value is a block scalar or continues on the next, deeper lines.
    const key = line.length <= 512 ? YAML_SECRET_KEY.exec(line) : null;
    if (key) {
      const indent = key[1]!.length;
      const block = key[2] !== undefined;
      let j = i + 1;
      let maskText: string | undefined;
      for (; j < lines.length && j <= i + 400; j++) {
        const next = lines[j]!;
        if (isBlank(next)) continue;
        if (indentOf(next) <= indent) break;
        if (!block && (YAML_MAPPING_LINE.test(next) || PLACEHOLDER.test(next.trim()))) break;
        maskText ??= maskOf('secret-value');
        set(j, `${next.slice(0, indentOf(next))}${maskText}${next.endsWith('\r') ? '\r' : ''}`);
      }
      if (maskText) i = j - 1;
      continue;
    }
    // A Kubernetes env entry whose name looks secret: mask its `value:` (same item, next lines or before).
    const env = line.length <= 512 ? YAML_ENV_NAME.exec(line) : null;
    if (env && SECRET_NAME.test(env[3]!)) {
      const itemIndent = env[1]!.length + (env[2] ? env[2].length : 0);
      for (const j of [i + 1, i + 2, i + 3, i - 1, i - 2]) {
        const other = lines[j];
        if (other === undefined) continue;
        const v = YAML_ENV_VALUE.exec(other);
        if (v && Math.abs(indentOf(other.replace(/^([ \t]*)-/, '$1 ')) - itemIndent) <= 2) {
          if (!PLACEHOLDER.test(v[3]!)) set(j, `${v[1]}${v[2]}${maskOf('secret-env')}${v[2]}${v[4]}`);
          break;
        }
        if (j > i && /^[ \t]*-[ \t]/.test(other)) break;
      }
      continue;
    }
    // `data:` / `stringData:` of a Secret document: every entry's value.
    const data = secretDocs[doc] ? YAML_DATA.exec(line) : null;
    if (data) {
      const indent = indentOf(line);
      let j = i + 1;
      for (; j < lines.length; j++) {
        const next = lines[j]!;
        if (isBlank(next)) continue;
        if (indentOf(next) <= indent) break;
        const entry = YAML_DATA_ENTRY.exec(next);
        if (entry && !PLACEHOLDER.test(entry[4]!)) set(j, `${entry[1]}${entry[2]}${entry[3]}${maskOf('kubernetes-secret')}${entry[3]}${entry[5]}`);
      }
      i = j - 1;
    }
  }
  return changed ? lines.join('\n') : text;
}

/**
 * Masks secrets in `text`.
 *
 * Rules run in a fixed order (private keys, JWTs, bearer and basic tokens, AWS session tokens,
 * secret keys, access key ids, URL and connection-string passwords, generic `key=value`
 * secrets, e-mail addresses); a later rule never re-masks an earlier mask. Only the secret is
 * replaced: `postgres://app:s3cret@db:5432` becomes `postgres://app:[REDACTED:password-in-url]@db:5432`.
 *
 * @returns the masked text and the count per kind (kinds as in {@link mask}).
 * @example
 *   redact('key AKIAIOSFODNN7EXAMPLE used').text; // 'key [REDACTED:aws-access-key-id] used'
 */
export function redact(text: string): RedactResult {
  const counts = new Map<string, number>();
  const maskOf = (kind: string): string => {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return mask(kind);
  };
  let out = text.includes('\n') ? redactLines(text, maskOf) : text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.test(out)) continue;
    rule.pattern.lastIndex = 0;
    let result = '';
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.pattern.exec(out)) !== null) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex++;
        continue;
      }
      const replacement = rule.replace ? rule.replace(m, maskOf) : maskOf(rule.kind);
      if (replacement === undefined) continue;
      result += out.slice(last, m.index) + replacement;
      last = m.index + m[0].length;
    }
    out = result + out.slice(last);
  }
  return { text: out, redactions: [...counts.entries()].map(([kind, count]) => ({ kind, count })) };
}

/** Sums redaction counts per kind, kinds sorted by name. */
export function mergeRedactions(lists: ReadonlyArray<readonly Redaction[]>): Redaction[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const r of list) counts.set(r.kind, (counts.get(r.kind) ?? 0) + r.count);
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([kind, count]) => ({ kind, count }));
}

/**
 * Redacts every string in `value` (objects and arrays, depth first; keys are kept): for answers
 * and API responses built outside the compose stage. Idempotent on text already redacted.
 * @example redactDeep({ answer: 'token=abc123' }) // { answer: 'token=[REDACTED:token]' }
 */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redact(value).text as T;
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, depth + 1);
  return out as T;
}

/**
 * A `JSON.stringify` replacer that redacts strings and errors: the functions' own logs (Powertools
 * `jsonReplacerFn`) quote input in error messages.
 */
export function redactingReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redact(value).text;
  if (value instanceof Error) return { name: value.name, message: redact(value.message).text, ...(value.stack ? { stack: redact(value.stack).text } : {}) };
  return value;
}

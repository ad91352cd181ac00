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
 * - Generic `key=value` / `key: value` pairs whose key ends in password, passwd, pwd, secret,
 *   token, api_key/apikey, access_key.
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
const PLACEHOLDER = /^(?:<[^>]*>?|\[REDACTED:|\$\{|\{\{|\$\(|\*{3,}|null$|none$|true$|false$|""$|''$)/i;

// The key prefix is bounded ({0,40}) so that matching stays linear on long runs such as base64url.
const GENERIC_KEY =
  '[A-Za-z0-9_.-]{0,40}?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret)';

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
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
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
    kind: 'secret-value',
    pattern: new RegExp(
      `(?<![A-Za-z0-9])(${GENERIC_KEY})(?![A-Za-z0-9])(["']?[ \\t]*[:=][ \\t]*)(?:(["'])((?:(?!\\3)[^\\\\\\r\\n]|\\\\.){0,512})\\3|([^\\s"',;&)}\\]]{1,512}))`,
      'gi',
    ),
    replace: (m, maskOf) => {
      const value = m[4] ?? m[5] ?? '';
      if (!value || PLACEHOLDER.test(value)) return undefined;
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
  let out = text;
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

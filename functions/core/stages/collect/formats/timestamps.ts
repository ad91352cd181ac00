/**
 * Timestamp recognition for log lines and structured fields.
 *
 * Recognised forms (all converted to milliseconds since the Unix epoch):
 * - ISO 8601 / RFC 3339 (`2024-11-26T12:38:59.123Z`, `2024-11-26 12:38:59,123+01:00`); a time
 *   without a zone is read as UTC (CloudWatch Logs Insights prints `@timestamp` that way);
 * - Common Log Format (`[26/Nov/2024:12:38:59 +0100]`, Apache/nginx access logs);
 * - Go `log` / nginx error log (`2024/11/26 12:38:59[.000000]`, read as UTC);
 * - epoch numbers in structured fields: seconds (< 1e11), milliseconds (< 1e14), microseconds
 *   or nanoseconds above that.
 * Lines without a year (syslog `Nov 26 12:38:59`, klog `I1126 …`) are left undated.
 */

const ISO_RE =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|z|UTC|[+-]\d{2}:?\d{2})?(?![\d])/;
const CLF_RE = /(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([+-]\d{4})/;
const SLASH_RE = /(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?![\d])/;
const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z' || zone === 'UTC') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  return sign * (hours * 60 + minutes) * 60_000;
}

function build(
  y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, zone: string | undefined,
): number | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = frac ? Math.floor(Number(frac.padEnd(3, '0').slice(0, 3))) : 0;
  const t = Date.UTC(y, mo, d, h, mi, s, ms) - zoneOffsetMs(zone);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Finds a timestamp in the first `maxPrefix` characters of a log line.
 * @returns milliseconds since the epoch, or undefined when the line carries no recognised date.
 */
export function timestampInLine(line: string, maxPrefix = 80): number | undefined {
  const head = line.length > maxPrefix ? line.slice(0, maxPrefix) : line;
  const iso = ISO_RE.exec(head);
  if (iso) {
    return build(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +iso[6]!, iso[7], iso[8]);
  }
  const slash = SLASH_RE.exec(head);
  if (slash) {
    return build(+slash[1]!, +slash[2]! - 1, +slash[3]!, +slash[4]!, +slash[5]!, +slash[6]!, slash[7], undefined);
  }
  const clf = CLF_RE.exec(head);
  if (clf) {
    const mo = MONTHS[clf[2]!];
    if (mo === undefined) return undefined;
    return build(+clf[3]!, mo, +clf[1]!, +clf[4]!, +clf[5]!, +clf[6]!, clf[7], clf[8]);
  }
  return undefined;
}

/**
 * Reads a timestamp field value of a structured record: an epoch number (s, ms, µs or ns, chosen
 * by magnitude), a numeric string, or a date string {@link timestampInLine} recognises.
 * @returns milliseconds since the epoch, or undefined.
 */
export function timestampOfValue(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return Math.round(value * 1000);
    if (value < 1e14) return Math.round(value);
    if (value < 1e17) return Math.round(value / 1000);
    return Math.round(value / 1e6);
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return timestampOfValue(Number(s));
    return timestampInLine(s, 64);
  }
  return undefined;
}

/**
 * The incident message an SNS topic receives (and e-mail subscribers read).
 *
 * Limits (Amazon SNS API Reference, `Publish`, https://docs.aws.amazon.com/sns/latest/api/API_Publish.html):
 * - `Subject`: ASCII text beginning with a letter, number or punctuation mark, no line breaks or
 *   control characters, less than 100 characters — we emit at most {@link SUBJECT_MAX_CHARS}.
 * - Message: at most 262,144 bytes (256 KiB) of UTF-8, message attributes included — the body is
 *   cut to fit the budget left after the attributes ({@link MESSAGE_MAX_BYTES}).
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import type { Incident, IncidentSource } from '../../model/incident.js';
import { SNS_LIMITS, type IncidentMessage } from '../../ports/notifier.port.js';
import { alarmCondition, categoryLabel, evidenceLocation, kubernetesLocation, percent, primaryResource, plainText, showControls, wrap, wrapCommand, wrapExact } from '../compose/index.js';

/** Subjects are shorter than SNS's limit of "less than 100 characters" ({@link SNS_LIMITS}). */
export const SUBJECT_MAX_CHARS = SNS_LIMITS.subjectMaxChars;
/** SNS's message size limit, bytes, attributes included ({@link SNS_LIMITS}). */
export const MESSAGE_MAX_BYTES = SNS_LIMITS.messageMaxBytes;
/** Body width for e-mail, columns. */
export const BODY_WIDTH = 80;

export interface IncidentMessageOptions {
  /** Link to the full report: an HTTPS URL (the browse URL, or the S3 console page of the object), or a `file://` URL locally. */
  readonly reportUrl?: string;
  /** Where the report is stored, for the CLI (`s3://bucket/key`); shown under the link. */
  readonly reportLocation?: string;
  /** Total byte budget (body + attributes); default {@link MESSAGE_MAX_BYTES}. */
  readonly maxBytes?: number;
}

const encoder = new TextEncoder();

/** UTF-8 length of `text`, bytes. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Printable ASCII only: accents are stripped (NFKD), dashes and quotes mapped, anything else
 * becomes `?`, whitespace runs (line breaks included) become one space.
 */
export function toPrintableAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
}

function cutChars(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

/** Incident sources that are alarms (a CloudWatch alarm in any delivery shape, a Prometheus alert). */
const ALARM_SOURCES: ReadonlySet<IncidentSource> = new Set<IncidentSource>(['cloudwatch-alarm', 'cloudwatch-alarm-sns', 'cloudwatch-alarm-action', 'prometheus-alert']);

/**
 * What announced the incident, as the subject's tag says it: `ALARM` for an alarm (CloudWatch in
 * any delivery shape, Prometheus/Alertmanager), `EVENT` for everything else (ECS, EC2, AWS
 * Health, EKS and other EventBridge events, API submissions, local runs).
 */
export function incidentKind(incident: Pick<Incident, 'source'>): 'ALARM' | 'EVENT' {
  return ALARM_SOURCES.has(incident.source) ? 'ALARM' : 'EVENT';
}

/** Resource types that hold the resource an event is about (a cluster), or stand for one run of it (an ECS task, a container instance). */
const BROAD_OR_PASSING = /(?:::Cluster|^Cluster|::ECS::Task|::ECS::ContainerInstance)$/;

/**
 * The resource a subject names: the alarm, else the Lambda function, else the most specific
 * resource the event names — an ECS service before its cluster and task, a pod or node before
 * its cluster — else the first one, else the cluster.
 */
export function subjectResource(incident: Incident): string | undefined {
  if (incident.alarm?.name) return incident.alarm.name;
  if (incident.functionName) return incident.functionName;
  const specific = incident.resources.find((r) => !BROAD_OR_PASSING.test(r.type));
  return specific?.name ?? primaryResource(incident);
}

/**
 * The subject, one convention for every incident: `[ALARM]` or `[EVENT]` first, then the
 * resource (and where it runs), the leading category and its confidence —
 * `[ALARM] checkout-5xx in prod/checkout: oom_killed (87%)`. Printable ASCII, no line breaks, at
 * most {@link SUBJECT_MAX_CHARS} characters (SNS `Publish`); when too long the location is dropped
 * first, then the resource name is shortened; the tag, category and confidence always stay.
 */
export function incidentSubject(d: Diagnosis): string {
  const inc = d.incident;
  const lead = d.hypotheses[0];
  const head = `[${incidentKind(inc)}] `;
  const resource = toPrintableAscii(subjectResource(inc) ?? inc.title) || inc.id;
  // `shop/checkout` for a resource named `checkout` says only the namespace: `checkout in shop`.
  const namespaced = toPrintableAscii(kubernetesLocation(inc) ?? '');
  const where = namespaced.endsWith(`/${resource}`) ? namespaced.slice(0, -resource.length - 1) : namespaced;
  const verdict = lead ? `${lead.category} (${percent(lead.confidence)})` : 'unknown';
  const tail = `: ${verdict}`;
  const location = where && where !== resource ? ` in ${where}` : '';
  const full = `${head}${resource}${location}${tail}`;
  if (full.length <= SUBJECT_MAX_CHARS) return full;
  const withoutLocation = `${head}${resource}${tail}`;
  if (withoutLocation.length <= SUBJECT_MAX_CHARS) return withoutLocation;
  const room = SUBJECT_MAX_CHARS - head.length - tail.length;
  return cutChars(room >= 8 ? `${head}${cutChars(resource, room)}${tail}` : withoutLocation, SUBJECT_MAX_CHARS);
}

/** The plain-text body, before any size cut. Lines are at most {@link BODY_WIDTH} columns. */
export function incidentBody(d: Diagnosis, reportUrl?: string, reportLocation?: string): string {
  const inc = d.incident;
  const lead = d.hypotheses[0];
  const out: string[] = [];
  const add = (text: string, indent = '', first = indent) => out.push(...wrap(text, BODY_WIDTH, indent, first));
  const field = (name: string, value: string | undefined) => {
    if (value) add(value, `  ${' '.repeat(11)}`, `  ${name.padEnd(11)}`);
  };
  const resource = primaryResource(inc);
  const where = kubernetesLocation(inc);

  if (lead) {
    add(`Leading hypothesis: ${lead.category} (${percent(lead.confidence)} confidence)`);
    add(categoryLabel(lead.category), '  ');
  }
  out.push('', 'What fired');
  field('Incident:', inc.title);
  field('Resource:', [resource, where && where !== resource ? `in ${where}` : ''].filter(Boolean).join(' '));
  field('Alarm:', alarmCondition(inc.alarm));
  field('State:', inc.previousState ? `${inc.previousState} -> ${inc.state ?? '?'}` : inc.state);
  field('When:', inc.occurredAt);
  field('Severity:', inc.severity);
  field('Source:', inc.source);
  field('Region:', [inc.region, inc.accountId].filter(Boolean).join(' / '));
  field('Reason:', inc.reason);

  out.push('', 'Summary');
  add(plainText(d.summary), '  ');

  if (lead?.evidence.length) {
    out.push('', 'Evidence');
    for (const e of lead.evidence.slice(0, 3)) {
      out.push(`  ${evidenceLocation(e)}`); // never broken, so it can be copied
      out.push(...wrapExact(e.text, BODY_WIDTH, '    | ', '    > '));
    }
  }
  if (lead?.actions.length) {
    out.push('', 'First actions');
    lead.actions.slice(0, 5).forEach((a, i) => {
      const n = `${i + 1}. `;
      const pad = ' '.repeat(2 + n.length);
      add(a.description, pad, `  ${n}`);
      if (a.command) out.push(...wrapCommand(a.command, BODY_WIDTH, `${pad}    `, `${pad}$ `));
    });
  }
  const others = d.hypotheses.slice(1, 4);
  if (others.length) {
    out.push('', 'Other hypotheses');
    for (const h of others) add(`${h.category} (${percent(h.confidence)}): ${h.summary}`, '    ', '  - ');
  }
  if (d.degraded.length) {
    out.push('', 'Incomplete');
    for (const g of d.degraded.slice(0, 5)) add(`${g.component} (${g.kind}): ${g.reason}`, '    ', '  - ');
    if (d.degraded.length > 5) add(`... and ${d.degraded.length - 5} more`, '  ');
  }
  out.push('');
  // A URL is never broken (mail clients would not link it); a long one gets its own line.
  if (reportUrl) out.push(...(reportUrl.length + 13 <= BODY_WIDTH ? [`Full report: ${reportUrl}`] : ['Full report:', reportUrl]));
  if (reportLocation && reportLocation !== reportUrl) out.push(...(reportLocation.length + 13 <= BODY_WIDTH ? [`Stored at:   ${reportLocation}`] : ['Stored at:', reportLocation]));
  add(`Diagnosis ${d.id}, created ${d.createdAt}`);
  return `${out.join('\n')}\n`;
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, preferring the
 * last line break in the final 4 KiB.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  let cut = new TextDecoder().decode(bytes.subarray(0, end));
  const nl = cut.lastIndexOf('\n');
  if (nl >= 0 && cut.length - nl < 4096) cut = cut.slice(0, nl + 1);
  return cut;
}

/** Bytes SNS counts for string message attributes: name, data type `String`, and value. */
function attributeBytes(attributes: Readonly<Record<string, string>>): number {
  return Object.entries(attributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes('String') + utf8Bytes(v), 0);
}

/**
 * The SNS message for a diagnosis: subject (≤ 99 ASCII characters naming the resource and the
 * leading hypothesis), a plain-text body readable at 80 columns (leading hypothesis, what fired
 * and when, summary, the top 3 evidence lines, first actions with commands, other hypotheses,
 * the report link), and the attributes `category`, `severity`, `resource` for subscription
 * filter policies. A body that would take the message over 256 KiB is cut and ends with a
 * pointer to the full report.
 *
 * @example
 *   incidentMessage(d, { reportUrl: 's3://diagnoses-bucket/diagnoses/2026/11/30/inc-….html' }).subject
 *   // '[ALARM] checkout-5xx in prod/checkout: oom_killed (87%)'
 */
export function incidentMessage(d: Diagnosis, options: IncidentMessageOptions = {}): IncidentMessage {
  const lead = d.hypotheses[0];
  const attributes = {
    category: lead?.category ?? 'unknown',
    severity: d.incident.severity,
    resource: (primaryResource(d.incident) ?? d.incident.title).slice(0, 256) || 'unknown',
  };
  const budget = (options.maxBytes ?? MESSAGE_MAX_BYTES) - attributeBytes(attributes);
  let body = showControls(incidentBody(d, options.reportUrl, options.reportLocation));
  const total = utf8Bytes(body);
  if (total > budget) {
    const notice = `\n[Message cut to fit the SNS size limit: ${total} bytes in full. Full report: ${options.reportUrl ?? `diagnosis ${d.id} in the diagnoses store`}]\n`;
    body = truncateUtf8(body, Math.max(0, budget - utf8Bytes(notice))) + notice;
  }
  return { subject: incidentSubject(d), body, attributes };
}

/**
 * The chat notification of a diagnosis: the custom-notification format of Amazon Q Developer in
 * chat applications (formerly AWS Chatbot), which posts it to Slack channels and Microsoft Teams
 * channels subscribed to an SNS topic.
 *
 * Format: "Custom notifications using Amazon Q Developer in chat applications",
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html — a JSON message
 * `{ version: "1.0", source: "custom", id?, content: { textType?: "client-markdown", title?,
 * description, nextSteps?, keywords? }, metadata?: { threadId?, summary?, eventType?,
 * relatedResources?, additionalContext? } }`; `version` must be `1.0` and `source` must be
 * `custom`; `client-markdown` (the only text type) is rendered in the target chat's own Markdown;
 * notifications with the same `threadId` are grouped in one thread where the channel allows it.
 * Messages in any other shape are not posted, so chat gets its own topic: the incident topic's
 * plain-text message is for e-mail.
 *
 * Markup is kept to what Slack's mrkdwn and Teams' Markdown both render: inline code and plain
 * text; `&`, `<`, `>` are written as HTML entities (Slack's required escapes,
 * https://api.slack.com/reference/surfaces/formatting#escaping), so no text from the evidence can
 * become a link or a `<!channel>` mention; `@channel`, `@here` and `@everyone` in quoted text get a
 * word joiner (U+2060) after the `@`, so they notify nobody.
 *
 * Bounds ({@link CHAT_LIMITS}) are ours: the page gives field types, not lengths, so each field
 * stays inside Slack Block Kit's smallest matching limit (section text 3000 characters,
 * https://api.slack.com/reference/block-kit/blocks#section) and the message far below SNS's
 * 256 KiB.
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import { SNS_LIMITS, type IncidentMessage } from '../../ports/notifier.port.js';
import { evidenceLocation, kubernetesLocation, percent, plainText, primaryResource, showControls } from '../compose/index.js';
import { incidentSubject } from './message.js';

/** Our bounds on each field, characters (see the module comment). */
export const CHAT_LIMITS = {
  titleMaxChars: 250,
  descriptionMaxChars: 3000,
  nextStepsMaxItems: 5,
  nextStepMaxChars: 500,
  keywordsMaxItems: 6,
  keywordMaxChars: 64,
  summaryMaxChars: 250,
  relatedResourcesMaxItems: 5,
  /** Characters of one quoted evidence line. */
  evidenceLineMaxChars: 300,
} as const;

/** `metadata.eventType` of every notification this product sends. */
export const CHAT_EVENT_TYPE = 'ops-assistant.diagnosis';

/** A custom notification as Amazon Q Developer in chat applications reads it. */
export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  /** Unique event identifier: the diagnosis id. */
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    /** The incident id: every notification about one incident goes to one thread. */
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: typeof CHAT_EVENT_TYPE;
    /** ARNs of the alarm and resources the incident names (at most {@link CHAT_LIMITS.relatedResourcesMaxItems}). */
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** Options of {@link chatNotification}. */
export interface ChatNotificationOptions {
  /** Link to the full report (an HTTPS URL is linked by both Slack and Teams). */
  readonly reportUrl?: string;
}

const MENTION = /@(channel|here|everyone)\b/gi;

/** Text safe in both chats' Markdown: entities for `& < >`, mentions broken, controls shown as `\xNN`. */
export function chatText(text: string): string {
  return showControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(MENTION, '@\u2060$1');
}

/** Inline code of arbitrary text: backticks inside become `ˋ` (U+02CB) so the span cannot end early; one line. */
export function chatCode(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().replace(/`/g, '\u02cb');
  return `\`${chatText(line || ' ')}\``;
}

/** Cuts `text` to `max` characters (code points kept whole), ending with `…` when cut. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Cuts inline code to `max` characters of content, keeping the span closed. */
function codeWithin(text: string, max: number): string {
  return chatCode(cut(text.replace(/\s+/g, ' ').trim(), max));
}

/**
 * The custom notification for a diagnosis: the title is the e-mail subject's convention (state,
 * resource, leading category and confidence); the description the summary, the leading
 * hypothesis's strongest evidence lines (quoted as inline code with `source:line`), its runbooks,
 * what could not be checked, and the report link; the next steps its first actions with their
 * commands; keywords the category, severity, state and Kubernetes location.
 *
 * @example
 *   chatNotification(d, { reportUrl }).content.title
 *   // '[ALARM] checkout-5xx in prod/checkout: oom_killed (87%)'
 */
export function chatNotification(d: Diagnosis, options: ChatNotificationOptions = {}): ChatNotification {
  const inc = d.incident;
  const lead = d.hypotheses[0];
  const where = kubernetesLocation(inc);
  const resource = primaryResource(inc) ?? inc.title;

  const parts: string[] = [];
  if (lead?.evidence.length) {
    parts.push(['Evidence:', ...lead.evidence.slice(0, 3).map((e) => `• ${chatText(evidenceLocation(e))} ${codeWithin(e.text, CHAT_LIMITS.evidenceLineMaxChars)}`)].join('\n'));
  }
  if (lead?.runbooks.length) parts.push(`Runbooks: ${lead.runbooks.slice(0, 3).map((r) => chatText(`${r.title} (${r.path})`)).join('; ')}`);
  if (d.degraded.length) parts.push(`Not checked: ${d.degraded.slice(0, 3).map((g) => chatText(`${g.component} (${g.kind})`)).join(', ')}${d.degraded.length > 3 ? ` and ${d.degraded.length - 3} more` : ''}`);
  const tail = `${options.reportUrl ? `Full report: ${options.reportUrl}\n` : ''}Diagnosis ${chatText(d.id)}, created ${d.createdAt}`;
  const description = fitParts(plainText(d.summary), parts, tail, CHAT_LIMITS.descriptionMaxChars);

  const nextSteps = (lead?.actions ?? []).slice(0, CHAT_LIMITS.nextStepsMaxItems).map((a) => {
    const text = chatText(cut(a.description.replace(/\s+/g, ' ').trim(), CHAT_LIMITS.nextStepMaxChars));
    if (!a.command) return text;
    const room = CHAT_LIMITS.nextStepMaxChars - Array.from(text).length - 3;
    return room >= 20 ? `${text}: ${codeWithin(a.command, room)}` : text;
  });

  const keywords = unique([
    lead?.category ?? 'unknown',
    inc.severity,
    inc.state,
    where,
  ]).map((k) => cut(k, CHAT_LIMITS.keywordMaxChars)).slice(0, CHAT_LIMITS.keywordsMaxItems);

  const relatedResources = unique([inc.alarm?.arn, ...inc.resources.map((r) => r.arn)]).slice(0, CHAT_LIMITS.relatedResourcesMaxItems);
  const additionalContext: Record<string, string> = {
    diagnosisId: d.id,
    incidentId: inc.id,
    category: lead?.category ?? 'unknown',
    confidence: lead ? String(lead.confidence) : '0',
    severity: inc.severity,
    resource: cut(resource, 256),
    ...(options.reportUrl ? { reportUrl: options.reportUrl } : {}),
  };

  return {
    version: '1.0',
    source: 'custom',
    id: d.id,
    content: {
      textType: 'client-markdown',
      title: escapedWithin(incidentSubject(d), CHAT_LIMITS.titleMaxChars),
      description,
      nextSteps,
      keywords,
    },
    metadata: {
      threadId: inc.id,
      summary: cut(`${resource}: ${lead ? `${lead.category} (${percent(lead.confidence)})` : 'no cause found'}`, CHAT_LIMITS.summaryMaxChars),
      eventType: CHAT_EVENT_TYPE,
      relatedResources,
      additionalContext,
    },
  };
}

/**
 * The SNS message carrying {@link chatNotification}: its JSON as the body (Amazon Q Developer
 * reads the `Message`), the e-mail subject, and the same attributes as the incident message
 * (`category`, `severity`, `resource`) for subscription filter policies.
 */
export function chatMessage(d: Diagnosis, options: ChatNotificationOptions = {}): IncidentMessage {
  const notification = chatNotification(d, options);
  const body = JSON.stringify(notification);
  // CHAT_LIMITS keep it to tens of KiB at most: never near SNS's limit, so the SNS adapter never cuts it (a cut would break the JSON).
  if (new TextEncoder().encode(body).length > SNS_LIMITS.messageMaxBytes / 2) throw new Error(`chat notification of ${d.id} is over half of SNS's message limit`);
  return {
    subject: incidentSubject(d),
    body,
    attributes: {
      category: notification.metadata.additionalContext.category!,
      severity: d.incident.severity,
      resource: notification.metadata.additionalContext.resource! || 'unknown',
    },
  };
}

/**
 * `lead` (raw text, escaped here) then `parts` (escaped), joined with blank lines, then `tail`, in
 * at most `max` characters: the last parts are dropped first, then the lead is cut.
 */
function fitParts(lead: string, parts: readonly string[], tail: string, max: number): string {
  const join = (first: string, rest: readonly string[]) => [first, ...rest, tail].join('\n\n');
  const kept = [...parts];
  while (kept.length > 0 && length(join(chatText(lead), kept)) > max) kept.pop();
  return join(escapedWithin(lead, max - length(join('', kept))), kept);
}

/** `raw` escaped ({@link chatText}) in at most `max` characters: cut before escaping, so no entity is split. */
function escapedWithin(raw: string, max: number): string {
  let out = chatText(raw);
  for (let room = max; length(out) > max && room > 1; ) {
    room -= Math.max(1, length(out) - max);
    out = chatText(cut(raw, room));
  }
  return out;
}

function length(text: string): number {
  return Array.from(text).length;
}

function unique(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim().length > 0).map((v) => v.trim()))];
}

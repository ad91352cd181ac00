/**
 * `Notifier` on Amazon SNS.
 *
 * Limits from the SNS `Publish` API reference: `Subject` at most 100 ASCII characters without line
 * breaks; the message plus attributes at most 262 144 bytes. The deliver stage already writes
 * messages within those limits; this adapter enforces them again so a bad message never fails the
 * publish (the body is cut with a pointer to the full report).
 */
import { PublishCommand, type SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { SNS_LIMITS, type IncidentMessage, type Notifier } from '../../core/ports/notifier.port.js';
import { truncateUtf8, utf8Bytes } from './bounds.js';

/** SNS's message size limit (message + attributes), bytes (the port's {@link SNS_LIMITS}). */
export const SNS_MAX_BYTES = SNS_LIMITS.messageMaxBytes;

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
  /** Per-publish time bound, ms; default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * Publishes incident messages to one topic with String attributes `category`, `severity`,
 * `resource` (and any other attribute the message carries) for subscription filter policies.
 *
 * @example
 * const notifier = new SnsNotifier({ client: new SNSClient({}), topicArn });
 * const messageId = await notifier.publish(incidentMessage(diagnosis));
 */
export class SnsNotifier implements Notifier {
  constructor(private readonly options: SnsNotifierOptions) {}

  /** @returns the SNS `MessageId`. @throws the SDK error when SNS refuses the publish. */
  async publish(message: IncidentMessage): Promise<string> {
    const attributes: Record<string, MessageAttributeValue> = {};
    let attributeBytes = 0;
    for (const [name, value] of Object.entries(message.attributes)) {
      if (!value) continue; // SNS rejects empty attribute values
      const v = value.slice(0, 256);
      attributes[name] = { DataType: 'String', StringValue: v };
      attributeBytes += utf8Bytes(name) + utf8Bytes('String') + utf8Bytes(v);
    }
    const out = await this.options.client.send(new PublishCommand({
      TopicArn: this.options.topicArn,
      Subject: snsSubject(message.subject),
      Message: snsBody(message.body, SNS_MAX_BYTES - attributeBytes - 1024),
      MessageAttributes: attributes,
    }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    return out.MessageId ?? '';
  }
}

/** A subject SNS accepts: printable ASCII, no line breaks, fewer than 100 characters, never empty. */
export function snsSubject(subject: string): string {
  const clean = subject.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  const cut = clean.length > SNS_LIMITS.subjectMaxChars ? `${clean.slice(0, SNS_LIMITS.subjectMaxChars - 3)}...` : clean;
  return cut || 'ops-assistant incident';
}

/** The body cut to `maxBytes` UTF-8 bytes with a closing note when it was cut. */
export function snsBody(body: string, maxBytes: number): string {
  if (utf8Bytes(body) <= maxBytes) return body;
  const note = '\n\n[message truncated at the SNS size limit; see the full report]\n';
  return truncateUtf8(body, maxBytes - utf8Bytes(note)) + note;
}

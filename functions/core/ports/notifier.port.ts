/**
 * Port of the deliver stage: where the incident message goes (SNS → e-mail, or stdout locally).
 */

/**
 * Amazon SNS `Publish` limits (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): one
 * owner, read by the deliver stage (which writes messages within them) and the SNS adapter (which
 * enforces them again).
 */
export const SNS_LIMITS = {
  /** `Subject`: ASCII, no line breaks, "less than 100 characters". */
  subjectMaxChars: 99,
  /** Message plus attributes, bytes of UTF-8. */
  messageMaxBytes: 262_144,
} as const;

/** The message an SNS topic receives. */
export interface IncidentMessage {
  /** Fewer than 100 characters ({@link SNS_LIMITS}), ASCII printable, no line breaks. */
  readonly subject: string;
  /** Plain text for e-mail, at most 80 columns per line where possible; under 256 KB. */
  readonly body: string;
  /** SNS message attributes for subscription filters: `category`, `severity`, `resource`. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Notifier {
  /** Publishes; resolves to a message id. Throws on delivery failure. */
  publish(message: IncidentMessage): Promise<string>;
}

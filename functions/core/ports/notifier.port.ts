/**
 * Port of the deliver stage: where the incident message goes (SNS → e-mail, or stdout locally).
 */

/** The message an SNS topic receives. */
export interface IncidentMessage {
  /** At most 100 characters (SNS `Subject` limit), ASCII printable, no line breaks. */
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

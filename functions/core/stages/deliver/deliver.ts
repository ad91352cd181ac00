/**
 * The deliver stage: store the diagnosis (JSON, Markdown, HTML) and announce it once.
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import type { DiagnosisStore } from '../../ports/diagnosis-store.port.js';
import type { Notifier } from '../../ports/notifier.port.js';
import { renderMarkdown } from '../compose/index.js';
import { diagnosisKey } from './keys.js';
import { incidentMessage } from './message.js';
import { stableStringify } from './stable-json.js';

export interface DeliverDeps {
  readonly store: DiagnosisStore;
  /** Where the incident message goes; none: nothing is published. */
  readonly notifier?: Notifier;
  /** Renders the HTML report; none: no `.html` object is written. */
  readonly renderHtml?: (d: Diagnosis) => string;
  /** Maps a store key to a URL people can open (the browse URL, the S3 console page, a `file://` URL); none: no link. */
  readonly reportUrl?: (key: string) => string;
  /** Maps a store key to where it is stored for the CLI (`s3://bucket/key`); none: not shown. */
  readonly reportLocation?: (key: string) => string;
}

export interface DeliverResult {
  /** Key of the JSON object. */
  readonly key: string;
  /** False when the diagnosis already existed (a replay): nothing was written or published. */
  readonly created: boolean;
  /** The notifier's message id, when a message was published. */
  readonly messageId?: string;
}

/**
 * Writes the diagnosis as pretty JSON with sorted keys, as Markdown, and as HTML when a renderer
 * is given; then, only when the store created it (not on an idempotent replay), publishes the
 * incident message linking to the HTML report (else the Markdown one).
 *
 * Known limit: if publishing fails after the write, a retry finds the diagnosis present and
 * does not publish; the error propagates so the caller can log it or alert.
 *
 * @throws whatever the store or notifier throws.
 * @example
 *   const { key, created } = await deliver(d, { store: new DirectoryStore('out'), notifier });
 */
export async function deliver(d: Diagnosis, deps: DeliverDeps): Promise<DeliverResult> {
  const renderings = {
    json: stableStringify(d),
    markdown: renderMarkdown(d),
    ...(deps.renderHtml ? { html: deps.renderHtml(d) } : {}),
  };
  const put = await deps.store.put(d, renderings);
  if (!put.created || !deps.notifier) return { key: put.key, created: put.created };
  const reportKey = diagnosisKey(d, renderings.html !== undefined ? 'html' : 'md');
  const message = incidentMessage(d, {
    ...(deps.reportUrl ? { reportUrl: deps.reportUrl(reportKey) } : {}),
    ...(deps.reportLocation ? { reportLocation: deps.reportLocation(reportKey) } : {}),
  });
  const messageId = await deps.notifier.publish(message);
  return { key: put.key, created: true, messageId };
}

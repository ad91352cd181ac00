/**
 * The deliver stage: store the diagnosis (JSON, Markdown, HTML) and announce it once.
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import type { DiagnosisStore } from '../../ports/diagnosis-store.port.js';
import type { Notifier } from '../../ports/notifier.port.js';
import { renderMarkdown } from '../compose/index.js';
import { diagnosisKey } from './keys.js';
import { chatMessage } from './chat.js';
import { incidentMessage } from './message.js';
import { stableStringify } from './stable-json.js';

export interface DeliverDeps {
  readonly store: DiagnosisStore;
  /** Where the incident message goes; none: nothing is published. */
  readonly notifier?: Notifier;
  /**
   * Where the chat notification goes (Amazon Q Developer in chat applications' custom format,
   * see `chat.ts`), published beside the incident message; none: no chat notification.
   */
  readonly chatNotifier?: Notifier;
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
  /** The chat notifier's message id, when a chat notification was published. */
  readonly chatMessageId?: string;
}

/**
 * Writes the diagnosis as pretty JSON with sorted keys, as Markdown, and as HTML when a renderer
 * is given; then, only when the store created it (not on an idempotent replay), publishes the
 * incident message linking to the HTML report (else the Markdown one), and the chat notification
 * when a chat notifier is given. Both are attempted even when one fails; the first failure is thrown.
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
  if (!put.created || (!deps.notifier && !deps.chatNotifier)) return { key: put.key, created: put.created };
  const reportKey = diagnosisKey(d, renderings.html !== undefined ? 'html' : 'md');
  const url = deps.reportUrl ? { reportUrl: deps.reportUrl(reportKey) } : {};
  const [sent, chat] = await Promise.allSettled([
    deps.notifier?.publish(incidentMessage(d, { ...url, ...(deps.reportLocation ? { reportLocation: deps.reportLocation(reportKey) } : {}) })),
    deps.chatNotifier?.publish(chatMessage(d, url)),
  ]);
  if (sent.status === 'rejected') throw sent.reason;
  if (chat.status === 'rejected') throw chat.reason;
  return { key: put.key, created: true, ...(sent.value !== undefined ? { messageId: sent.value } : {}), ...(chat.value !== undefined ? { chatMessageId: chat.value } : {}) };
}

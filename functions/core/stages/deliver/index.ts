/**
 * The deliver stage: key scheme, incident message format, and delivery through the store and
 * notifier ports. Pure: adapters do the I/O.
 */
export { diagnosisKey, quarantineKey, datePath, assertSafeId, type DiagnosisExtension } from './keys.js';
export {
  incidentMessage,
  incidentSubject,
  incidentKind,
  incidentBody,
  truncateUtf8,
  utf8Bytes,
  toPrintableAscii,
  SUBJECT_MAX_CHARS,
  MESSAGE_MAX_BYTES,
  BODY_WIDTH,
  type IncidentMessageOptions,
} from './message.js';
export { chatNotification, chatMessage, chatText, chatCode, CHAT_LIMITS, CHAT_EVENT_TYPE, type ChatNotification, type ChatNotificationOptions } from './chat.js';
export { deliver, type DeliverDeps, type DeliverResult } from './deliver.js';
export { stableStringify } from './stable-json.js';

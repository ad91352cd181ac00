/**
 * Lines that look like failures but report one the application handled: not evidence of a cause
 * (no signature verdict) and not a failure state. By family, from the emitters' source:
 * - Spring MVC's `AbstractHandlerExceptionResolver.logException`: `Resolved [org.…Exception: …]`,
 *   an exception mapped to a response (a 4xx for a client's bad request);
 * - Tomcat's `Http11Processor`/`Http11InputBuffer` on a malformed request from a client (a scanner,
 *   a TLS hello on a plain-HTTP port): `Error parsing HTTP request header`, `Invalid character found
 *   in method name` / `in the request target` / `in the HTTP protocol`.
 * Every pattern is linear (bounded classes, literal alternations).
 */
export const HANDLED = /\bResolved \[[\w.$]{1,200}(?:Exception|Error)\b|\bError parsing HTTP request header\b|\bInvalid character found in (?:method name|the request target|the HTTP protocol)\b/;

/** Whether a line reports a failure the application handled (see the module comment). */
export function isHandled(text: string): boolean {
  return text.length <= 4000 && HANDLED.test(text);
}

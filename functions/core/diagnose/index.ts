/**
 * The diagnose use case (one service, several thin drivers: Lambda handlers, the API route, the
 * CLI, `serve`, `ask`), its ports, the storm rule and the evidence-only incident.
 */
export { diagnoseEvent, type DiagnoseDeps, type DiagnoseInput, type DiagnoseOutcome } from './diagnose.service.js';
export { incidentFromEvidence, evidenceTime, evidenceSubject, isFailureLine, type EvidenceDocument, type EvidenceIncidentOptions } from './evidence-incident.js';
export { admitTransition, recordOkTransition, markerKeyOf, DEFAULT_STORM_WINDOW_MS } from './storm.js';
export type * from './ports.js';

/**
 * Lambda handler for CloudWatch alarms: EventBridge "CloudWatch Alarm State Change", the SNS
 * notification (Lambda SNS event), the direct alarm-action payload, or an SQS batch of any of
 * these (partial batch failure). Acts on transitions into `ALARM`; records `OK` on the open incident.
 * With `ALARM_TAG_FILTER=key=value,…` it diagnoses only alarms carrying every listed tag (see
 * `core/diagnose`). Logs `runtime ready` once per process with the startup breakdown.
 */
import { incidentHandler } from './incident-flow.js';

export const handler = incidentHandler('alarm-handler', 'alarm');

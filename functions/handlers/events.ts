/**
 * Lambda handler for other EventBridge events: ECS task/service/deployment state changes, EC2
 * state changes, AWS Health and EKS (directly or as an SQS batch). Informational events are
 * ignored; the rest are diagnosed and delivered.
 */
import { incidentHandler } from './incident-flow.js';

export const handler = incidentHandler('events-handler', 'event');

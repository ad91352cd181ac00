/**
 * JSON Schema (draft 2020-12) of the diagnosis document, version `1.0`.
 *
 * This module is the source; `schemas/diagnosis.schema.json` is generated from it by
 * `npm run schema:generate` (`schemas/generate.ts`) and a test checks the two are identical.
 * Mirrors `functions/core/model/diagnosis.ts` and the types it uses.
 */
import { CATEGORIES } from '../functions/core/model/categories.js';

const isoDateTime = { type: 'string', format: 'date-time' } as const;
const stringRecord = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** A URN, not a URL: the schema is not hosted anywhere; it ships in the repository. */
export const DIAGNOSIS_SCHEMA_ID = 'urn:ops-assistant:schema:diagnosis:1.0';

export const diagnosisSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: DIAGNOSIS_SCHEMA_ID,
  title: 'Diagnosis',
  description:
    'The ops-assistant diagnosis document: an incident, ranked root-cause hypotheses with quoted evidence and actions, findings, log patterns, and what could not be collected.',
  type: 'object',
  required: [
    'schemaVersion', 'id', 'createdAt', 'incident', 'hypotheses', 'findings', 'logPatterns',
    'similarIncidents', 'degraded', 'redactions', 'summary', 'timings',
  ],
  additionalProperties: false,
  properties: {
    schemaVersion: { const: '1.0' },
    id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' },
    createdAt: isoDateTime,
    summary: { type: 'string' },
    incident: { $ref: '#/$defs/incident' },
    hypotheses: { type: 'array', minItems: 1, items: { $ref: '#/$defs/hypothesis' } },
    findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
    logPatterns: { type: 'array', items: { $ref: '#/$defs/logPattern' } },
    similarIncidents: { type: 'array', items: { $ref: '#/$defs/similarIncident' } },
    degraded: { type: 'array', items: { $ref: '#/$defs/degradation' } },
    model: {
      type: 'object',
      required: ['id', 'sha256'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
    },
    redactions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'count'],
        additionalProperties: false,
        properties: { kind: { type: 'string', minLength: 1 }, count: { type: 'integer', minimum: 1 } },
      },
    },
    timings: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
    metrics: {
      description: 'Metric series collected for the incident (the alarm metric), for charts.',
      type: 'array',
      items: { $ref: '#/$defs/metricSeries' },
    },
  },
  $defs: {
    category: { enum: [...CATEGORIES] },
    evidence: {
      type: 'object',
      required: ['text', 'source'],
      additionalProperties: false,
      properties: {
        text: { type: 'string' },
        source: { type: 'string' },
        line: { type: 'integer', minimum: 1 },
      },
    },
    timeWindow: {
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: { start: isoDateTime, end: isoDateTime },
    },
    resource: {
      type: 'object',
      required: ['type', 'name'],
      additionalProperties: false,
      properties: {
        type: { type: 'string' },
        name: { type: 'string' },
        arn: { type: 'string' },
        namespace: { type: 'string' },
        cluster: { type: 'string' },
      },
    },
    metric: {
      type: 'object',
      required: ['dimensions'],
      additionalProperties: false,
      properties: {
        namespace: { type: 'string' },
        name: { type: 'string' },
        dimensions: stringRecord,
        stat: { type: 'string' },
        periodSeconds: { type: 'number', minimum: 0 },
        id: { type: 'string' },
        expression: { type: 'string' },
        returnData: { type: 'boolean' },
      },
    },
    alarm: {
      type: 'object',
      required: ['name', 'type', 'metrics'],
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        arn: { type: 'string' },
        type: { enum: ['metric', 'metric-math', 'anomaly-detection', 'composite'] },
        description: { type: 'string' },
        metrics: { type: 'array', items: { $ref: '#/$defs/metric' } },
        threshold: { type: 'number' },
        comparisonOperator: { type: 'string' },
        evaluationPeriods: { type: 'integer', minimum: 0 },
        treatMissingData: { type: 'string' },
        alarmRule: { type: 'string' },
        children: { type: 'array', items: { type: 'string' } },
      },
    },
    incident: {
      type: 'object',
      required: ['id', 'source', 'title', 'severity', 'occurredAt', 'window', 'resources', 'labels'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', minLength: 1 },
        source: {
          enum: [
            'cloudwatch-alarm', 'cloudwatch-alarm-sns', 'cloudwatch-alarm-action', 'ecs', 'ec2', 'aws-health',
            'eks', 'eventbridge', 'api', 'prometheus-alert', 'manual',
          ],
        },
        title: { type: 'string' },
        severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] },
        occurredAt: isoDateTime,
        window: { $ref: '#/$defs/timeWindow' },
        baseline: { $ref: '#/$defs/timeWindow' },
        state: { type: 'string' },
        previousState: { type: 'string' },
        reason: { type: 'string' },
        region: { type: 'string' },
        accountId: { type: 'string' },
        resources: { type: 'array', items: { $ref: '#/$defs/resource' } },
        alarm: { $ref: '#/$defs/alarm' },
        cluster: { type: 'string' },
        namespace: { type: 'string' },
        functionName: { type: 'string' },
        labels: stringRecord,
        question: { type: 'string' },
        inlineEvidence: { type: 'array', items: { type: 'string' } },
        hintedCategory: { $ref: '#/$defs/category' },
      },
    },
    action: {
      type: 'object',
      required: ['description'],
      additionalProperties: false,
      properties: { description: { type: 'string', minLength: 1 }, command: { type: 'string' } },
    },
    runbookRef: {
      type: 'object',
      required: ['title', 'heading', 'path'],
      additionalProperties: false,
      properties: { title: { type: 'string' }, heading: { type: 'string' }, path: { type: 'string' } },
    },
    hypothesis: {
      type: 'object',
      required: ['category', 'confidence', 'summary', 'evidence', 'actions', 'runbooks'],
      additionalProperties: false,
      properties: {
        category: { $ref: '#/$defs/category' },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        summary: { type: 'string' },
        evidence: { type: 'array', items: { $ref: '#/$defs/evidence' } },
        actions: { type: 'array', items: { $ref: '#/$defs/action' } },
        runbooks: { type: 'array', items: { $ref: '#/$defs/runbookRef' } },
        scores: { type: 'object', additionalProperties: { type: 'number' } },
      },
    },
    finding: {
      type: 'object',
      required: ['analyzer', 'kind', 'name', 'severity', 'message', 'evidence'],
      additionalProperties: false,
      properties: {
        analyzer: { type: 'string' },
        kind: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string' },
        severity: { enum: ['critical', 'warning', 'info'] },
        message: { type: 'string' },
        category: { $ref: '#/$defs/category' },
        evidence: { type: 'array', items: { $ref: '#/$defs/evidence' } },
      },
    },
    logPattern: {
      type: 'object',
      required: ['templateId', 'template', 'count', 'baselineCount', 'samples', 'isNew', 'isSpiking'],
      additionalProperties: false,
      properties: {
        templateId: { type: 'string' },
        template: { type: 'string' },
        count: { type: 'integer', minimum: 0 },
        baselineCount: { type: 'integer', minimum: 0 },
        firstSeen: isoDateTime,
        lastSeen: isoDateTime,
        level: { type: 'string' },
        samples: { type: 'array', maxItems: 3, items: { $ref: '#/$defs/evidence' } },
        isNew: { type: 'boolean' },
        isSpiking: { type: 'boolean' },
        timeline: {
          type: 'object',
          required: ['bucketMs', 'start', 'counts'],
          additionalProperties: false,
          properties: {
            bucketMs: { type: 'number', exclusiveMinimum: 0 },
            start: { type: 'number' },
            counts: { type: 'array', items: { type: 'integer', minimum: 0 } },
          },
        },
      },
    },
    similarIncident: {
      type: 'object',
      required: ['id', 'createdAt', 'title', 'category', 'score'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        createdAt: { type: 'string' },
        title: { type: 'string' },
        category: { type: 'string' },
        score: { type: 'number' },
        key: { type: 'string' },
      },
    },
    degradation: {
      type: 'object',
      required: ['component', 'reason', 'kind'],
      additionalProperties: false,
      properties: {
        component: { type: 'string' },
        reason: { type: 'string' },
        kind: { enum: ['timeout', 'error', 'permission', 'throttled', 'skipped', 'truncated'] },
      },
    },
    metricSeries: {
      type: 'object',
      required: ['id', 'label', 'timestamps', 'values'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        label: { type: 'string' },
        timestamps: { type: 'array', items: { type: 'number' } },
        values: { type: 'array', items: { type: 'number' } },
        unit: { type: 'string' },
        threshold: { type: 'number' },
      },
    },
  },
} as const;

/** The schema as JSON text, exactly as `schemas/diagnosis.schema.json` holds it. */
export function diagnosisSchemaJson(): string {
  return `${JSON.stringify(diagnosisSchema, null, 2)}\n`;
}

/**
 * The Model Context Protocol server of `ops-assistant mcp`: the product's use cases as MCP tools
 * and its runbooks as MCP resources, for the assistants engineers use in their editors.
 *
 * Read-only: no tool writes a diagnosis, executes a Kubernetes request or approves a plan. A plan
 * `ask` makes is answered as text (its requests and the `kubectl` equivalent) and kept in this
 * process only. Built on the official TypeScript SDK (`@modelcontextprotocol/sdk`, `McpServer`,
 * zod input schemas); protocol: https://modelcontextprotocol.io/specification.
 *
 * Tools: `diagnose` (event and evidence → diagnosis), `ask` (a question → an answer with
 * citations), `list_diagnoses` and `get_diagnosis` (the local store). Resources:
 * `runbook://<root>/<path>` for every runbook the retrieve stage indexes.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ask, validateAskRequest, type AskDeps } from '../../core/ask/index.js';
import type { DiagnoseOutcome } from '../../core/diagnose/index.js';
import type { Diagnosis } from '../../core/model/diagnosis.js';
import { OpsAssistantError } from '../../core/model/errors.js';
import type { DiagnosisStore } from '../../core/ports/diagnosis-store.port.js';
import type { RunbookDocument } from '../../core/ports/runbook-source.port.js';
import { jsonText, redact, redactDeep, renderMarkdown, renderText } from '../../core/stages/compose/index.js';
import { renderAskText } from '../commands/ask.js';

/** What the server drives: built by the `mcp` command from the local composition root. */
export interface McpRuntime {
  /** The diagnose use case on an event and evidence (text or files); writes nothing. */
  diagnose(input: McpDiagnoseInput): Promise<DiagnoseOutcome>;
  /** The ask use case's dependencies, with `evidencePaths` standing for the live system; plans are never stored. */
  askDeps(evidencePaths: readonly string[]): Promise<AskDeps>;
  /** The local diagnoses store (`--out`), read only. */
  readonly store: DiagnosisStore;
  /** The runbooks the retrieve stage indexes. */
  runbooks(): Promise<readonly RunbookDocument[]>;
}

/** Input of {@link McpRuntime.diagnose}. */
export interface McpDiagnoseInput {
  readonly eventText?: string;
  readonly eventPath?: string;
  readonly evidenceTexts: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  readonly evidencePaths: readonly string[];
  readonly at?: Date;
}

/** Name and version the server reports in `initialize`. */
export const MCP_SERVER_INFO = { name: 'ops-assistant', version: '0.1.0' } as const;

/** Largest evidence text one `diagnose` call takes inline, characters (larger evidence: give a path). */
export const MAX_INLINE_EVIDENCE_CHARS = 5_000_000;

const ISO_TIME = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/, 'an ISO-8601 time such as 2026-11-30T07:00:00Z');
const DNS_NAME = z.string().min(1).max(253);

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Summary returned with every diagnosis (`structuredContent`), so a client need not parse the report. */
const DIAGNOSIS_SUMMARY = {
  status: z.enum(['diagnosed', 'folded', 'ok-recorded', 'ignored']).describe('what the use case did; only "diagnosed" carries a diagnosis'),
  diagnosisId: z.string().optional(),
  incident: z.string().describe('the incident title'),
  category: z.string().optional().describe('the leading hypothesis\'s category (functions/core/model/categories.ts)'),
  confidence: z.number().min(0).max(1).optional(),
  summary: z.string(),
};

/**
 * Builds the server over `runtime`. Connect it to a transport (`StdioServerTransport`) to serve.
 * @example
 *   const server = createMcpServer(runtime);
 *   await server.connect(new StdioServerTransport());
 */
export function createMcpServer(runtime: McpRuntime): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions: 'ops-assistant diagnoses incidents from AWS events, logs and Kubernetes evidence (kubectl describe/get events output, '
      + 'CloudWatch Logs responses, application logs), answers operations questions from runbooks and earlier diagnoses, and proposes '
      + 'Kubernetes plans as text. It is read-only: it never executes or approves anything. Call `diagnose` with the evidence text or '
      + 'file paths, `ask` for questions, and read `runbook://` resources for the runbooks it cites.',
  });

  server.registerTool('diagnose', {
    title: 'Diagnose an incident',
    description: 'Diagnose an incident from evidence: logs, `kubectl describe`/`kubectl get events` output, Kubernetes objects (JSON/YAML), '
      + 'CloudWatch Logs responses, and optionally the event that fired (a CloudWatch alarm, EventBridge, SNS or API Gateway payload). '
      + 'Returns ranked root-cause hypotheses quoting the evidence lines, confidence, remediation steps with commands, and runbook passages. '
      + 'Give evidence as text (`evidence`) or as local file paths (`evidencePaths`). Nothing is written or executed.',
    inputSchema: {
      evidence: z.string().max(MAX_INLINE_EVIDENCE_CHARS).optional().describe('evidence text, e.g. pasted `kubectl describe pod` output or log lines'),
      evidenceName: z.string().max(200).optional().describe('how the inline evidence is named in quotes (`name:line`); default "evidence.txt"'),
      evidencePaths: z.array(z.string().min(1)).max(50).optional().describe('local evidence files, read by the server'),
      event: z.string().max(MAX_INLINE_EVIDENCE_CHARS).optional().describe('the event that fired, as JSON text'),
      eventPath: z.string().min(1).optional().describe('a local file holding the event JSON'),
      at: ISO_TIME.optional().describe('without an event: the incident\'s time; default the last failure line\'s timestamp'),
      format: z.enum(['markdown', 'json', 'text']).optional().describe('the report: markdown (default), the diagnosis JSON document (schemas/diagnosis.schema.json), or plain text'),
    },
    outputSchema: DIAGNOSIS_SUMMARY,
    annotations: { title: 'Diagnose an incident', ...READ_ONLY },
  }, async (args) => guarded(async () => {
    const evidenceTexts = args.evidence !== undefined ? [{ name: args.evidenceName?.trim() || 'evidence.txt', text: args.evidence }] : [];
    const evidencePaths = args.evidencePaths ?? [];
    if (evidenceTexts.length === 0 && evidencePaths.length === 0 && args.event === undefined && args.eventPath === undefined) {
      return failure('diagnose needs evidence (text in `evidence`, or files in `evidencePaths`) and/or an event (`event` or `eventPath`)');
    }
    const outcome = await runtime.diagnose({
      evidenceTexts, evidencePaths,
      ...(args.event !== undefined ? { eventText: args.event } : {}),
      ...(args.eventPath !== undefined ? { eventPath: args.eventPath } : {}),
      ...(args.at ? { at: new Date(args.at) } : {}),
    });
    const diagnosis = outcome.status === 'diagnosed' ? outcome.diagnosis : undefined;
    const structured = diagnosisSummary(outcome, diagnosis);
    const text = diagnosis ? renderDiagnosis(diagnosis, args.format ?? 'markdown') : `Not diagnosed: ${structured.summary}\n`;
    return { content: [{ type: 'text', text }], structuredContent: structured };
  }));

  server.registerTool('ask', {
    title: 'Ask an operations question',
    description: 'Ask in plain language: what is wrong with a workload, errors or latency in a service, how to debug something, or for a plan '
      + '(scale, restart, roll back, cordon, drain, an alarm). Answers cite runbooks, earlier diagnoses and the given evidence. '
      + 'Plans come back as text only (Kubernetes API requests and the kubectl equivalent); this server never executes or approves them.',
    inputSchema: {
      question: z.string().min(1).max(8_000).describe('the question'),
      evidencePaths: z.array(z.string().min(1)).max(50).optional().describe('local files that stand for the live system (logs, kubectl output)'),
      cluster: DNS_NAME.optional(),
      namespace: DNS_NAME.optional(),
      service: DNS_NAME.optional(),
      since: z.string().max(64).optional().describe('a time: ISO-8601 or words like "1 hour ago"'),
      format: z.enum(['text', 'json']).optional().describe('text (default) or the answer document as JSON'),
    },
    annotations: { title: 'Ask an operations question', ...READ_ONLY, idempotentHint: false },
  }, async (args) => guarded(async () => {
    const context = Object.fromEntries(Object.entries({ cluster: args.cluster, namespace: args.namespace, service: args.service, since: args.since }).filter(([, v]) => v !== undefined));
    const request = validateAskRequest({ question: args.question, ...(Object.keys(context).length ? { context } : {}) });
    for (const p of args.evidencePaths ?? []) if (p === '-') return failure('evidencePaths: stdin (-) cannot be read by this server; give a file path');
    const response = redactDeep(await ask(request, await runtime.askDeps(args.evidencePaths ?? [])));
    const note = response.plan
      ? '\nThis plan is proposed only: this MCP server is read-only, never executes a plan and does not store it, so it cannot be approved from here. '
        + 'Run the kubectl command yourself, or ask through the API (POST /v1/ask) for a plan that can be approved.\n'
      : '';
    return { content: [{ type: 'text', text: args.format === 'json' ? `${jsonText(response, 2)}\n` : `${renderAskText(response)}${note}` }] };
  }));

  server.registerTool('list_diagnoses', {
    title: 'List diagnoses',
    description: 'List the diagnoses in the local store (`--out`), newest first, optionally filtered by time, category or resource.',
    inputSchema: {
      since: ISO_TIME.optional().describe('only diagnoses created at or after this time'),
      category: z.string().max(64).optional().describe('a category id, e.g. oom_killed'),
      resource: z.string().max(256).optional().describe('a substring of a resource name or ARN'),
      limit: z.number().int().min(1).max(100).optional().describe('page size, default 20'),
      cursor: z.string().max(2048).optional().describe('nextCursor of the previous page'),
    },
    annotations: { title: 'List diagnoses', ...READ_ONLY },
  }, async (args) => guarded(async () => {
    const page = await runtime.store.list({ ...args });
    return { content: [{ type: 'text', text: `${jsonText(page, 2)}\n` }] };
  }));

  server.registerTool('get_diagnosis', {
    title: 'Get a diagnosis',
    description: 'One stored diagnosis by id (`inc-…`, as list_diagnoses returns it), as Markdown or as the JSON document.',
    inputSchema: {
      id: z.string().min(1).max(128).describe('the diagnosis id'),
      format: z.enum(['markdown', 'json', 'text']).optional().describe('markdown (default), json or text'),
    },
    annotations: { title: 'Get a diagnosis', ...READ_ONLY },
  }, async (args) => guarded(async () => {
    const diagnosis = await runtime.store.get(args.id);
    if (!diagnosis) return failure(`no diagnosis with id '${args.id}' in the store; list_diagnoses shows the ids`);
    return { content: [{ type: 'text', text: renderDiagnosis(diagnosis, args.format ?? 'markdown') }] };
  }));

  server.registerResource('runbook', new ResourceTemplate('runbook://{+path}', {
    list: async () => ({
      resources: (await runtime.runbooks()).map((doc) => ({ uri: runbookUri(doc.path), name: doc.path, title: runbookTitle(doc), mimeType: 'text/markdown' })),
    }),
  }), {
    title: 'Runbooks',
    description: 'The runbooks diagnoses and answers cite: the bundled knowledge base and the folders given with --kb (Markdown).',
    mimeType: 'text/markdown',
  }, async (uri) => {
    const wanted = decodeURIComponent(uri.href.slice('runbook://'.length));
    const doc = (await runtime.runbooks()).find((d) => d.path === wanted);
    if (!doc) throw new Error(`no runbook ${uri.href}; resources/list shows the runbooks`);
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: doc.markdown }] };
  });

  return server;
}

/** The resource URI of a runbook document (`bundled/oom-and-memory.md` → `runbook://bundled/oom-and-memory.md`). */
export function runbookUri(path: string): string {
  return `runbook://${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The runbook's first Markdown heading, else its file name. */
function runbookTitle(doc: RunbookDocument): string {
  const heading = /^#{1,6}[ \t]+(\S[^\n]*)$/m.exec(doc.markdown);
  return (heading?.[1] ?? doc.path.slice(doc.path.lastIndexOf('/') + 1)).trim().slice(0, 200);
}

function renderDiagnosis(d: Diagnosis, format: 'markdown' | 'json' | 'text'): string {
  if (format === 'json') return `${jsonText(d, 2)}\n`;
  return format === 'text' ? renderText(d) : renderMarkdown(d);
}

function diagnosisSummary(outcome: DiagnoseOutcome, d: Diagnosis | undefined): z.infer<z.ZodObject<typeof DIAGNOSIS_SUMMARY>> {
  const lead = d?.hypotheses[0];
  const summary = d ? d.summary
    : outcome.status === 'ignored' ? outcome.reason
      : outcome.status === 'ok-recorded' ? `the alarm went back to OK at ${outcome.incident.occurredAt}; an OK transition is recorded, not diagnosed`
        : outcome.status === 'folded' ? `a repeated ALARM transition, folded into the open incident ${outcome.incidentId}`
          : 'a diagnosis of this incident is stored already';
  return {
    status: outcome.status,
    ...(d ? { diagnosisId: d.id } : {}),
    incident: outcome.incident.title,
    ...(lead ? { category: lead.category, confidence: lead.confidence } : {}),
    summary,
  };
}

function failure(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(message).text }] };
}

/** Runs a tool body; bad input (an {@link OpsAssistantError}) comes back as a tool error naming it, redacted. */
async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof OpsAssistantError) return failure(error.message);
    throw error;
  }
}

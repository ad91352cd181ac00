/**
 * `ops-assistant mcp`: the real binary, driven over stdio by the official SDK's client
 * (`Client` + `StdioClientTransport`), as an editor's assistant would drive it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'ops-assistant.js');
const EXAMPLE = path.join(ROOT, 'examples', 'checkout-oom');

const IMAGE_NOT_FOUND = [
  'Events:',
  '  Type     Reason     Age   From     Message',
  '  ----     ------     ----  ----     -------',
  '  Warning  Failed     12s   kubelet  Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
  '  Warning  Failed     12s   kubelet  Error: ErrImagePull',
  '  Warning  Failed     1s    kubelet  Error: ImagePullBackOff',
].join('\n');

type TextContent = { type: 'text'; text: string };
const textOf = (result: unknown): string => ((result as { content: TextContent[] }).content).filter((c) => c.type === 'text').map((c) => c.text).join('');

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('ops-assistant mcp', () => {
  let out: string;
  let storedId: string;
  let client: Client;
  let transport: StdioClientTransport;
  const transportErrors: Error[] = [];
  let stderr = '';

  beforeAll(async () => {
    // Prepare: one stored diagnosis, written by the CLI, for list_diagnoses and get_diagnosis.
    out = mkdtempSync(path.join(os.tmpdir(), 'ops-mcp-'));
    const stored = JSON.parse(execFileSync(process.execPath, [BIN, 'diagnose', '--example', '--out', out, '--format', 'json', '--no-model'], { cwd: ROOT, encoding: 'utf8' }));
    storedId = stored.id;
    transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--out', out], cwd: ROOT, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    client = new Client({ name: 'ops-assistant-test', version: '1.0.0' });
    client.onerror = (error) => transportErrors.push(error);
    await client.connect(transport);
  });

  afterAll(async () => {
    await client?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('lists its tools, all read-only, with input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'diagnose', 'get_diagnosis', 'list_diagnoses']);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations?.destructiveHint, tool.name).toBe(false);
      expect(tool.inputSchema.type).toBe('object');
    }
    const diagnose = tools.find((t) => t.name === 'diagnose')!;
    expect(Object.keys(diagnose.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['evidence', 'evidencePaths', 'event', 'eventPath']));
  });

  it('lists the bundled runbooks as resources and reads one', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain('runbook://bundled/oom-and-memory.md');
    expect(resources.every((r) => r.mimeType === 'text/markdown')).toBe(true);
    expect(uris.some((u) => /readme\.md$/i.test(u))).toBe(false); // the folder's README is not a runbook
    const { contents } = await client.readResource({ uri: 'runbook://bundled/oom-and-memory.md' });
    expect(contents[0]!.mimeType).toBe('text/markdown');
    expect((contents[0] as { text: string }).text).toMatch(/OOMKilled/);
  });

  it('refuses to read a runbook that does not exist', async () => {
    await expect(client.readResource({ uri: 'runbook://bundled/no-such-runbook.md' })).rejects.toThrow(/no runbook/);
  });

  it('diagnoses the bundled example from its files (oom_killed) and writes nothing', async () => {
    const before = files(out);
    const result = await client.callTool({
      name: 'diagnose',
      arguments: {
        eventPath: path.join(EXAMPLE, 'alarm.json'),
        evidencePaths: ['pod-describe.txt', 'events.txt', 'app.log'].map((f) => path.join(EXAMPLE, f)),
        format: 'json',
      },
    });
    expect(result.isError).toBeFalsy();
    const diagnosis = JSON.parse(textOf(result));
    expect(diagnosis.hypotheses[0].category).toBe('oom_killed');
    expect(diagnosis.hypotheses[0].evidence.map((e: { text: string }) => e.text).join('\n')).toMatch(/OOMKilled/);
    expect(result.structuredContent).toMatchObject({ status: 'diagnosed', category: 'oom_killed', diagnosisId: diagnosis.id });
    expect(files(out)).toEqual(before);
  });

  it('diagnoses evidence given as text, quoting it by the name given', async () => {
    const result = await client.callTool({ name: 'diagnose', arguments: { evidence: IMAGE_NOT_FOUND, evidenceName: 'describe.txt' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'diagnosed', category: 'image_not_found' });
    expect(textOf(result)).toMatch(/^# Diagnosis/m);
    expect(textOf(result)).toMatch(/describe\.txt:\d+/);
  });

  it('answers bad input with a tool error naming it', async () => {
    const empty = await client.callTool({ name: 'diagnose', arguments: {} });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(/needs evidence/);
    const missing = await client.callTool({ name: 'diagnose', arguments: { evidencePaths: [path.join(out, 'no-such-file.log')] } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('no-such-file.log');
    const stdin = await client.callTool({ name: 'diagnose', arguments: { evidencePaths: ['-'] } });
    expect(stdin.isError).toBe(true);
    expect(textOf(stdin)).toMatch(/stdin/);
  });

  it('asks: an answer citing the runbooks', async () => {
    const result = await client.callTool({ name: 'ask', arguments: { question: 'how do I debug a pending PVC?', format: 'json' } });
    expect(result.isError).toBeFalsy();
    const response = JSON.parse(textOf(result));
    expect(response.answer.length).toBeGreaterThan(0);
    expect(response.citations.some((c: { source: string }) => c.source.startsWith('bundled/'))).toBe(true);
    expect(response.plan).toBeUndefined();
  });

  it('asks for an action: a plan as text, never stored or executed', async () => {
    const result = await client.callTool({ name: 'ask', arguments: { question: 'scale checkout to 5 replicas in namespace shop' } });
    expect(result.isError).toBeFalsy();
    const text = textOf(result);
    expect(text).toContain('kubectl scale deployment/checkout -n shop --replicas=5');
    expect(text).toMatch(/proposed only/);
    expect(files(out).some((f) => f.startsWith('plans'))).toBe(false);
  });

  it('lists the stored diagnoses and gets one by id', async () => {
    const list = await client.callTool({ name: 'list_diagnoses', arguments: { category: 'oom_killed' } });
    const page = JSON.parse(textOf(list));
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([storedId]);
    const none = JSON.parse(textOf(await client.callTool({ name: 'list_diagnoses', arguments: { category: 'image_not_found' } })));
    expect(none.items).toEqual([]);
    const got = await client.callTool({ name: 'get_diagnosis', arguments: { id: storedId, format: 'json' } });
    expect(JSON.parse(textOf(got)).id).toBe(storedId);
    const unknown = await client.callTool({ name: 'get_diagnosis', arguments: { id: 'inc-00000000000000000000' } });
    expect(unknown.isError).toBe(true);
  });

  it('kept stdout for the protocol alone', () => {
    expect(transportErrors).toEqual([]);
    expect(stderr).toMatch(/serving on stdio/);
  });
});

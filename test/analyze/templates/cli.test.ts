import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTemplates, type TemplatesOptions } from '../../../functions/cli/commands/templates.js';
import { InvalidInputError } from '../../../functions/core/model/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, 'fixtures', name);

async function run(file: string, options: Omit<TemplatesOptions, 'out'> = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await runTemplates(file, { ...options, out });
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

const jsonl = (text: string): Array<{ templateId: string; template: string }> =>
  text.trimEnd().split('\n').map((l) => JSON.parse(l) as { templateId: string; template: string });

describe('templates command', () => {
  it('prints one object per input line, in input order, a stack trace sharing its event template', async () => {
    // Act
    const rows = jsonl(await run(fixture('app-with-trace.log')));
    // Assess: 14 lines in the fixture; lines 3-9 are one event, 11-13 another
    expect(rows).toHaveLength(14);
    expect(rows[0]!.template).toBe('Listening on port <*>');
    expect(rows[1]!.template).toBe('Slow query took <*> ms');
    expect(new Set(rows.slice(2, 9).map((r) => r.templateId)).size).toBe(1);
    expect(rows[2]!.template).toBe('Request <*> failed');
    expect(rows[10]!.templateId).toBe(rows[2]!.templateId);
    expect(rows[9]!.templateId).toBe(rows[1]!.templateId);
    expect(rows[13]!.templateId).toBe(rows[1]!.templateId);
    expect(Object.keys(rows[0]!)).toEqual(['templateId', 'template']);
  });

  it('reads the file once: CRLF and a last line without a newline, every line its final template', async () => {
    // Prepare: the first line is mined before its template learns that the user varies
    const dir = mkdtempSync(join(tmpdir(), 'templates-once-'));
    const file = join(dir, 'crlf.log');
    writeFileSync(file, 'session closed for user alice\r\nsession closed for user bob\r\nsession closed for user carol\r\ndisk full');
    // Act
    const rows = jsonl(await run(file));
    // Assess
    expect(rows.map((r) => r.template)).toEqual(['session closed for user <*>', 'session closed for user <*>', 'session closed for user <*>', 'disk full']);
    expect(new Set(rows.slice(0, 3).map((r) => r.templateId)).size).toBe(1);
  });

  it('splits headers with --log-format and prints a summary, most frequent first', async () => {
    const text = await run(fixture('hdfs-sample.log'), { logFormat: '<Date> <Time> <Pid> <Level> <Component>: <Content>', format: 'summary' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('2 templates from 5 events (5 lines)');
    expect(lines[1]).toMatch(/^3 {2}[0-9a-f]{14} {2}PacketResponder <\*> for block <\*> terminating$/);
    expect(lines[2]).toMatch(/^2 {2}[0-9a-f]{14} {2}BLOCK\* NameSystem\.addStoredBlock: blockMap updated: <\*> is added to <\*> size <\*>$/);
  });

  it('prints JSON with counts and samples', async () => {
    const doc = JSON.parse(await run(fixture('hdfs-sample.log'), { format: 'json' })) as { lines: number; templates: Array<{ count: number; samples: string[] }> };
    expect(doc.lines).toBe(5);
    expect(doc.templates.reduce((a, t) => a + t.count, 0)).toBe(5);
    expect(doc.templates[0]!.samples.length).toBeGreaterThan(0);
  });

  it('reads stdin for -', async () => {
    const stdin = Readable.from(['job 1 done\njob 2 ', 'done\nhello\n']);
    const rows = jsonl(await run('-', { stdin }));
    expect(rows.map((r) => r.template)).toEqual(['job <*> done', 'job <*> done', 'hello']);
  });

  it('rejects a missing file or a directory with an error naming it', async () => {
    await expect(run('/no/such/file.log')).rejects.toThrow(InvalidInputError);
    await expect(run('/no/such/file.log')).rejects.toThrow('/no/such/file.log: no such file');
    await expect(run(here)).rejects.toThrow(/is not a file/);
    await expect(run(fixture('hdfs-sample.log'), { logFormat: '<Date>' })).rejects.toThrow(/--log-format/);
  });

  it('exits non-zero with a clear message for a missing file (process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-cli-'));
    const script = join(here, 'run-cli.ts');
    const ok = join(dir, 'ok.log');
    writeFileSync(ok, 'a 1\na 2\n');
    const good = spawnSync(process.execPath, ['--import', 'tsx', script, 'templates', ok, '--format', 'summary'], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('a <*>');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', script, 'templates', join(dir, 'missing.log')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('missing.log: no such file');
  });
});

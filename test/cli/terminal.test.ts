/**
 * The text report on a terminal and in a pipe, through the real binary: width (the terminal's, 80
 * in a pipe) without split words, evidence shown whole, colour only on a TTY and never with
 * NO_COLOR, the actions on the first screen, --summary in 15 lines, pasteable commands, progress
 * and the stdin prompt only on a TTY.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SCRIPT, runCli, runInTty, shellLine, stripAnsi } from './support/run-cli.js';

const example = ['diagnose', '--example', '--no-write', '--no-model'];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-cli-tty-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The evidence blocks of a text report: each `> ` line with its `| ` continuation lines, markers removed. */
function evidenceBlocks(text: string): string[][] {
  const blocks: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('    > ')) blocks.push([line.slice(6)]);
    else if (line.startsWith('    | ')) blocks.at(-1)!.push(line.slice(6));
  }
  return blocks;
}

describe('in a pipe', () => {
  const run = () => runCli(example);

  it('wraps to 80 columns without splitting words, evidence lines whole with a continuation marker', () => {
    const r = run();
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    for (const line of lines) if (!line.includes(' # ')) expect(line.length, line).toBeLessThanOrEqual(80);
    const blocks = evidenceBlocks(r.stdout);
    const cut = blocks.filter((b) => b.length > 1);
    expect(cut.length).toBeGreaterThan(0);
    for (const block of cut) {
      // every piece but the last ends at a blank: no word is split
      for (const piece of block.slice(0, -1)) expect(piece, piece).toMatch(/[ \t]$/);
    }
    // the cut line is whole: its pieces give back the evidence line of the file
    const oom = cut.map((b) => b.join('')).find((l) => l.includes('OOMKilling'));
    expect(oom).toBeDefined();
    expect(oom).toContain('Memory cgroup out of memory: Killed process 28417 (java) total-vm:4113520kB, anon-rss:523412kB');
    // no colour in a pipe
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('shows every action and its command within the first screen (24 lines)', () => {
    const lines = run().stdout.split('\n');
    const heading = lines.indexOf('What to do first:');
    expect(heading).toBeGreaterThan(0);
    const commands = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {5}\$ /.test(l));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const [, i] of commands) expect(i).toBeLessThan(24);
  });

  it('--summary: the lead, its evidence and the first actions in at most 15 lines', () => {
    const r = runCli([...example, '--summary']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    expect(lines[0]).toMatch(/oom_killed \(\d+%\)/);
    expect(r.stdout).toContain('> Reason:       OOMKilled');
    expect(r.stdout).toMatch(/\$ kubectl describe pod checkout-7d9f8b6c5-x2mqp -n shop/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    // a long evidence line is cut to one line, with a marker
    expect(lines.some((l) => l.includes('OOMKilling') && l.endsWith('…'))).toBe(true);
  });

  it('prints commands that paste as they are: continuations end with \\, no comment on a line of its own', () => {
    const r = run();
    const lines = r.stdout.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^ +\$ /.test(lines[i]!)) continue;
      let j = i;
      while (lines[j]!.endsWith(' \\') || lines[j]!.endsWith('\\')) {
        j++;
        expect(lines[j]!.trimStart().startsWith('#'), lines[j]).toBe(false);
      }
    }
    // the placeholders the evidence knows are filled
    expect(r.stdout).not.toMatch(/<(namespace|pod|workload|container)>/);
  });

  it('ask wraps its answer and plan to 80 columns, commands still pasteable', () => {
    const r = runCli(['ask', 'scale checkout to 5 replicas in namespace shop', '--no-model', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines).toContain('  $ kubectl scale deployment/checkout -n shop --replicas=5');
  });

  it('ask shows a runbook code block whole: a long command in it is never cut across lines', () => {
    const r = runCli(['ask', 'OOMKilled exit code 137 what now?', '--no-model']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const open = lines.findIndex((l) => /^```/.test(l));
    expect(open).toBeGreaterThan(0);
    const close = lines.findIndex((l, i) => i > open && /^```/.test(l));
    const block = lines.slice(open + 1, close === -1 ? undefined : close).filter((l) => /^kubectl /.test(l));
    expect(block.length).toBeGreaterThan(0);
    // each command of the block is one line, its quotes balanced (as the runbook wrote it)
    for (const cmd of block) expect((cmd.match(/'/g) ?? []).length % 2, cmd).toBe(0);
    // prose outside the block still wraps at 80
    for (const line of lines.slice(0, open)) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe.skipIf(!HAS_SCRIPT)('on a terminal', () => {
  it('wraps to the terminal width and colours the report, unless NO_COLOR is set', async () => {
    const colour = await runInTty(shellLine(example), { columns: 60 });
    expect(colour.status).toBe(0);
    expect(colour.output).toContain('\u001b[1mWhat to do first:');
    // the report starts where the spinner (if the run took over a second) was cleared
    const plain = stripAnsi(colour.output).replace(/\r/g, '');
    const report = plain.slice(plain.indexOf('Diagnosis inc-')).split('\n');
    for (const line of report) if (!line.includes(' # ')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(report.some((l) => l.length > 50)).toBe(true);

    const none = await runInTty(shellLine(example), { columns: 60, env: { NO_COLOR: '1' } });
    expect(none.status).toBe(0);
    expect(none.output).not.toContain('\u001b[1m');
    expect(none.output).not.toMatch(/\u001b\[3\dm/); // no colour, the spinner's included
  });

  it('says it reads stdin, and draws no spinner over what is being typed', async () => {
    const log = ['2026-11-30T06:40:00Z INFO starting', '2026-11-30T06:40:05Z ERROR java.lang.OutOfMemoryError: Java heap space'].join('\n');
    const r = await runInTty(`${shellLine(['diagnose', '--evidence', '-', '--no-write', '--no-model'])}`, {
      // typed 1.5 s after the prompt: a spinner would be up by then, drawn over the typing
      feed: [{ afterText: 'end with Ctrl-D', afterMs: 1500, text: `${log}\n` }, { afterMs: 300, text: '\u0004' }],
    });
    expect(r.status).toBe(0);
    const text = stripAnsi(r.output);
    expect(text).toContain('reading evidence from stdin, end with Ctrl-D');
    expect(text).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (starting|reading stdin)/);
    expect(text).toContain('Leading hypothesis: heap_oom');
  });

  it('templates: no spinner while the log is still being pasted on the terminal', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `2026-11-30T06:40:00Z INFO request ${i} served`).join('\n');
    // the log arrives once the command asks for it, its end only 1.5 s later: the spinner is up by then
    const r = await runInTty(shellLine(['templates', '-', '-o', 'summary']), {
      feed: [{ afterText: 'end with Ctrl-D', afterMs: 0, text: `${lines}\n` }, { afterMs: 1500, text: '\u0004' }],
    });
    expect(r.status).toBe(0);
    const text = stripAnsi(r.output);
    expect(text).toContain('reading the log from stdin, end with Ctrl-D');
    expect(text).not.toMatch(/reading stdin: [\d,]+ lines/);
    expect(text).toContain('1 templates from 20000 events (20000 lines)');
  });

  it('templates: shows the lines read so far while a piped log is still coming (stderr a terminal)', async () => {
    const log = path.join(dir, 'slow-part.log');
    writeFileSync(log, `${Array.from({ length: 20_000 }, (_, i) => `2026-11-30T06:40:00Z INFO request ${i} served`).join('\n')}\n`);
    // like `kubectl logs -f … | ops-assistant templates -`: 20,000 lines, then the pipe stays open 1.5 s
    const r = await runInTty(`(cat '${log}'; sleep 1.5) | ${shellLine(['templates', '-', '-o', 'summary'])}`);
    expect(r.status).toBe(0);
    const text = stripAnsi(r.output);
    expect(text).toMatch(/reading stdin: [\d,]+ lines/);
    expect(text).toContain('1 templates from 20000 events (20000 lines)');
  });

  it('shows no progress and no prompt when stdin and stderr are not a terminal', () => {
    const r = runCli(['diagnose', '--evidence', '-', '--no-write', '--no-model'], { input: '2026-11-30T06:40:05Z ERROR java.lang.OutOfMemoryError: Java heap space\n' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

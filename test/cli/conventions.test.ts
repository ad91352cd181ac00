/**
 * kubectl-style conventions of the CLI, through the real binary: -o/--output (and --format),
 * --namespace/--cluster filling the commands, ask's question before or after its options, an
 * Examples section ending every --help, and shell completion generated from the command tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './support/run-cli.js';

let dir: string;
let log: string;
const example = ['diagnose', '--example', '--no-write', '--no-model'];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-cli-conv-'));
  // An application log that names no namespace, pod or cluster.
  log = path.join(dir, 'app.log');
  writeFileSync(log, [
    '2026-11-30T06:40:00Z INFO starting checkout worker',
    '2026-11-30T06:40:05Z ERROR java.lang.OutOfMemoryError: Java heap space',
    '2026-11-30T06:40:06Z ERROR java.lang.OutOfMemoryError: Java heap space',
  ].join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-o/--output', () => {
  it('prints the same diagnosis as JSON and YAML, and --format stays an alias', () => {
    const json = runCli([...example, '-o', 'json']);
    const yaml = runCli([...example, '--output', 'yaml']);
    const alias = runCli([...example, '--format', 'json']);
    expect([json.status, yaml.status, alias.status]).toEqual([0, 0, 0]);
    const fromJson = JSON.parse(json.stdout);
    const fromYaml = YAML.parse(yaml.stdout);
    const fromAlias = JSON.parse(alias.stdout);
    for (const d of [fromYaml, fromAlias]) {
      expect(d.id).toBe(fromJson.id);
      expect(d.hypotheses).toEqual(fromJson.hypotheses);
      expect(d.incident).toEqual(fromJson.incident);
    }
  });

  it('reads md as markdown, and refuses --format with a different -o', () => {
    const md = runCli([...example, '-o', 'md']);
    const markdown = runCli([...example, '-o', 'markdown']);
    expect(md.status).toBe(0);
    expect(md.stdout.split('\n')[0]).toMatch(/^# Diagnosis/);
    expect(md.stdout.split('\n').slice(0, 3)).toEqual(markdown.stdout.split('\n').slice(0, 3));
    const both = runCli([...example, '-o', 'json', '--format', 'yaml']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--format .* cannot be used with option '-o, --output/);
  });
});

describe('diagnose --namespace/--cluster', () => {
  it('fills the commands\' placeholders when the evidence names no namespace', () => {
    const bare = runCli(['diagnose', '--evidence', log, '--no-write', '--no-model']);
    expect(bare.status).toBe(0);
    expect(bare.stdout).toContain('-n <namespace>');
    const named = runCli(['diagnose', '--evidence', log, '--no-write', '--no-model', '-n', 'shop', '--cluster', 'prod-eks', '-o', 'json']);
    expect(named.status).toBe(0);
    const d = JSON.parse(named.stdout);
    const commands: string[] = d.hypotheses.flatMap((h: { actions: Array<{ command?: string }> }) => h.actions.map((a) => a.command ?? ''));
    expect(commands.some((c) => c.includes('-n shop'))).toBe(true);
    expect(commands.join('\n')).not.toContain('<namespace>');
    expect(d.incident.namespace).toBe('shop');
    expect(d.incident.cluster).toBe('prod-eks');
  });

  it.each([
    ['-n', 'shop; rm -rf ~', 'is not a namespace name'],
    ['-n', 'Shop', 'is not a namespace name'],
    ['--namespace', '$(id)', 'is not a namespace name'],
    ['--cluster', 'prod eks', 'is not a cluster name'],
    ['--cluster', '`id`', 'is not a cluster name'],
  ])('refuses %s %j before running (the value is pasted into commands)', (flag, value, message) => {
    const r = runCli(['diagnose', '--evidence', log, '--no-write', '--no-model', flag, value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('ask', () => {
  it('reads the question before or after --evidence', () => {
    const question = 'what is wrong with checkout?';
    const after = runCli(['ask', question, '--evidence', log, '--no-model', '--out', dir, '-o', 'json']);
    const before = runCli(['ask', '--evidence', log, question, '--no-model', '--out', dir, '-o', 'json']);
    expect([after.status, before.status], `${after.stderr}\n${before.stderr}`).toEqual([0, 0]);
    const a = JSON.parse(after.stdout);
    const b = JSON.parse(before.stdout);
    expect(b.intent).toBe(a.intent);
    expect(b.answer).toBe(a.answer);
    expect(b.intent).toBe('diagnose');
    // the evidence was read in both orders: the answer names it
    expect(`${b.answer} ${JSON.stringify(b.citations)}`).toContain(log);
  });

  it('asks for a question when there is none', () => {
    const r = runCli(['ask', '--evidence', log, '--no-model', '--out', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ask needs a question');
  });
});

describe('--help', () => {
  const commands = ['diagnose', 'templates', 'ask', 'serve', 'page', 'completion'];

  it('lists every command and ends each command\'s help with pasteable examples', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    for (const name of commands) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    for (const args of [[], ...commands.map((c) => [c])]) {
      const help = runCli([...args, '--help']).stdout;
      const tail = help.slice(help.lastIndexOf('\nExamples:\n') + 1);
      expect(tail.startsWith('Examples:\n'), `${args.join(' ')} --help`).toBe(true);
      const body = tail.split('\n').slice(1).filter((l) => l.trim());
      expect(body.length).toBeGreaterThanOrEqual(2);
      // pairs: a comment saying what it does, then the command line alone
      for (let i = 0; i < body.length; i += 2) {
        expect(body[i]).toMatch(/^ {2}# \S/);
        expect(body[i + 1]).toMatch(/^ {2}\S/);
        expect(body[i + 1]).not.toMatch(/^ {2}#/);
        expect(body[i + 1]).toContain('ops-assistant ');
      }
    }
  });
});

describe('completion', () => {
  it('bash: completes commands, options and option values from the command tree', () => {
    const script = runCli(['completion', 'bash']);
    expect(script.status).toBe(0);
    const complete = (words: string[]) => {
      const file = path.join(dir, 'completion.bash');
      writeFileSync(file, script.stdout);
      const line = `source '${file}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ops_assistant; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8', cwd: REPO });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(complete(['ops-assistant', 'dia'])).toEqual(['diagnose']);
    expect(complete(['ops-assistant', 'diagnose', '-o', ''])).toEqual(['text', 'json', 'yaml', 'md', 'markdown', 'html']);
    expect(complete(['ops-assistant', 'diagnose', '--name'])).toEqual(['--namespace']);
    expect(complete(['ops-assistant', 'templates', '--output', 's'])).toEqual(['summary']);
    expect(complete(['ops-assistant', 'completion', ''])).toEqual(['bash', 'zsh']);
    // a file name with a space is one reply, not two
    writeFileSync(path.join(dir, 'my app.log'), 'x\n');
    expect(complete(['ops-assistant', 'diagnose', '--evidence', path.join(dir, 'my')])).toEqual([path.join(dir, 'my app.log')]);
    expect(complete(['ops-assistant', 'templates', path.join(dir, 'my')])).toEqual([path.join(dir, 'my app.log')]);
  });

  it('zsh: a compdef function naming every command and option', () => {
    const r = runCli(['completion', 'zsh']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('#compdef ops-assistant');
    for (const name of ['diagnose', 'templates', 'ask', 'serve', 'page', 'completion']) expect(r.stdout).toContain(`'${name}:`);
    expect(r.stdout).toContain("{-o,--output}'[output format]:output:(text json yaml md markdown html)'");
    expect(r.stdout).toContain("'*--evidence[evidence files]:file:_files'");
    const zsh = spawnSync('zsh', ['-n'], { input: r.stdout, encoding: 'utf8' });
    if (!zsh.error) expect(zsh.status, zsh.stderr).toBe(0); // syntax check where zsh is installed
  });

  it('refuses an unknown shell', () => {
    const r = runCli(['completion', 'fish']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Allowed choices are bash, zsh');
  });
});

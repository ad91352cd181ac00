/**
 * Start-up through the real binary: --help, --version and completion answer without loading the
 * pipeline; bad input and a bad --out are refused before the model loads; a failure to write
 * still prints the report; npm runs the package's scripts without a warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './support/run-cli.js';

/** Modules that belong to the diagnosis work, not to parsing arguments. */
const PIPELINE = /\/functions\/core\/(pipeline|stages\/(analyze|retrieve|infer)\/)|\/functions\/composition\/local\.|@huggingface\/transformers|onnxruntime-node|\/functions\/adapters\/onnx\//;
/** The model runtime. */
const MODEL = /@huggingface\/transformers|onnxruntime-node|\/functions\/adapters\/onnx\//;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ops-cli-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start-up', () => {
  it('answers --help, --version and completion without loading the pipeline', () => {
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    for (const args of [['--help'], ['--version'], ['diagnose', '--help'], ['ask', '--help'], ['completion', 'bash']]) {
      const r = runCli(args, { trace: true });
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.loaded.length, 'the trace hook saw the modules').toBeGreaterThan(3);
      expect(r.loaded.filter((u) => PIPELINE.test(u)), args.join(' ')).toEqual([]);
      if (args[0] === '--version') expect(r.stdout.trim()).toBe(version);
    }
  });

  it('loads the model for a diagnosis (the trace sees it)', () => {
    const r = runCli(['diagnose', '--example', '--no-write', '-o', 'json'], { trace: true });
    expect(r.status, r.stderr).toBe(0);
    expect(r.loaded.some((u) => MODEL.test(u))).toBe(true);
  });

  it('refuses a missing, an empty and a binary file before the model loads', () => {
    const empty = path.join(dir, 'empty.log');
    writeFileSync(empty, '');
    const binary = path.join(dir, 'core.log');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing.log'), /missing\.log: .*no such file/],
      [empty, /empty\.log: is empty/],
      [binary, /core\.log: is not text evidence: it is an ELF executable/],
    ];
    for (const [file, message] of cases) {
      const r = runCli(['diagnose', '--evidence', file, '--out', path.join(dir, 'out')], { trace: true });
      expect(r.status, file).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.loaded.filter((u) => MODEL.test(u)), file).toEqual([]);
      expect(r.stdout).toBe('');
    }
  });

  it('ask refuses unreadable evidence before the model loads, in either order', () => {
    const empty = path.join(dir, 'empty-ask.log');
    writeFileSync(empty, '');
    for (const args of [['ask', '--evidence', empty, 'what is wrong with checkout?'], ['ask', 'what is wrong with checkout?', '--evidence', path.join(dir, 'missing.txt')]]) {
      const r = runCli([...args, '--out', path.join(dir, 'out')], { trace: true });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/empty-ask\.log: is empty|missing\.txt: cannot read the evidence file: no such file/);
      expect(r.loaded.filter((u) => MODEL.test(u))).toEqual([]);
    }
  });
});

describe('--out', () => {
  it('is checked before the pipeline runs', () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = runCli(['diagnose', '--example', '--out', path.join(file, 'out')], { trace: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--out ${path.join(file, 'out')}: is not a folder`);
    expect(r.loaded.filter((u) => MODEL.test(u))).toEqual([]);
  });

  // Node's mkdir(dir, { recursive: true }) spins forever under /proc; the check must end.
  it.runIf(existsSync('/proc/self'))('refuses a folder that cannot be created under /proc, instead of hanging', () => {
    const r = runCli(['diagnose', '--example', '--out', '/proc/ops-assistant-no-such-dir']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--out /proc/ops-assistant-no-such-dir: ');
  });

  it('says where the HTML report is, as a full path', () => {
    const out = path.join(dir, 'store');
    const r = runCli(['diagnose', '--example', '--no-model', '--out', path.relative(REPO, out)]);
    expect(r.status, r.stderr).toBe(0);
    const written = /^Written: (\S+\.html) /m.exec(r.stdout)?.[1];
    expect(written).toBeDefined();
    expect(path.isAbsolute(written!)).toBe(true);
    expect(written!.startsWith(out)).toBe(true);
    expect(existsSync(written!)).toBe(true);
    expect(readFileSync(written!, 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('still prints the report when writing fails', () => {
    const out = path.join(dir, 'broken');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'diagnoses'), 'a file where the store needs a folder');
    const r = runCli(['diagnose', '--example', '--no-model', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Leading hypothesis: oom_killed');
    expect(r.stdout).toContain('What to do first:');
    expect(r.stderr).toContain(`the diagnosis was printed but not written under ${out}`);
  });
});

describe('npm', () => {
  it('runs the package\'s commands without a warning (.npmrc holds only keys npm knows)', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('"ops-assistant"');
    expect(r.stderr).not.toMatch(/npm warn/i);
  });
});

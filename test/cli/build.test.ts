/**
 * The shipped JavaScript: `npm run build` (run by `npm ci` through `prepare`) compiles the CLI
 * into dist/, and bin/ops-assistant.js runs dist/ when it is current, the TypeScript through tsx
 * when dist/ is missing or older than a source file. Tried on a copy of the package's layout in
 * a temporary folder (sources linked), so the checkout's own dist/ is left alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/run-cli.js';

const TRACE = path.join(REPO, 'test/cli/support/module-trace.mjs');
let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ops-cli-build-'));
  for (const name of ['functions', 'schemas', 'node_modules', 'package.json', 'models', 'knowledge-base', 'examples']) symlinkSync(path.join(REPO, name), path.join(root, name));
  mkdirSync(path.join(root, 'bin'));
  cpSync(path.join(REPO, 'bin/ops-assistant.js'), path.join(root, 'bin/ops-assistant.js'));
  mkdirSync(path.join(root, 'scripts'));
  cpSync(path.join(REPO, 'scripts/build-cli.mjs'), path.join(root, 'scripts/build-cli.mjs'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the copy's bin with `args`; returns stdout and the CLI module it started from. */
function run(args: string[]): { status: number | null; stdout: string; main?: string } {
  const r = spawnSync(process.execPath, ['--import', TRACE, path.join(root, 'bin/ops-assistant.js'), ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, OPS_ASSISTANT_FROM_SOURCE: '' } });
  const main = r.stderr.split('\n').find((l) => /^LOADED .*\/cli\/main\.(ts|js)$/.test(l))?.slice(7);
  return { status: r.status, stdout: r.stdout, ...(main ? { main } : {}) };
}

describe('bin/ops-assistant.js', () => {
  it('runs the sources through tsx without a build', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.main).toMatch(/\/functions\/cli\/main\.ts$/);
  });

  it('runs dist/ once built, and the sources again when a source is newer than the build', () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], { encoding: 'utf8', cwd: root });
    expect(build.status, build.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'dist/BUILD'), 'utf8')).toMatch(/\d+ files/);
    const built = run(['--version']);
    expect(built.status).toBe(0);
    expect(built.main).toBe(`file://${path.join(root, 'dist/functions/cli/main.js')}`);
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    expect(built.stdout.trim()).toBe(version);
    // the compiled CLI does the work, not only --version
    const templates = spawnSync(process.execPath, [path.join(root, 'bin/ops-assistant.js'), 'templates', path.join(REPO, 'examples/checkout-oom/app.log'), '-o', 'summary'], { encoding: 'utf8', cwd: root });
    expect(templates.status, templates.stderr).toBe(0);
    expect(templates.stdout).toMatch(/^\d+ templates from \d+ events/);

    const old = new Date('2000-01-01T00:00:00Z');
    utimesSync(path.join(root, 'dist/BUILD'), old, old);
    expect(run(['--version']).main).toMatch(/\/functions\/cli\/main\.ts$/);
  });
});

describe('package.json', () => {
  it('builds the CLI on npm ci (prepare) and keeps dist/ out of git', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toBe('node scripts/build-cli.mjs');
    const ignored = spawnSync('git', ['check-ignore', 'dist/functions/cli/main.js'], { cwd: REPO, encoding: 'utf8' });
    expect(ignored.status).toBe(0);
  });
});

/**
 * Runs the real `ops-assistant` binary (bin/ops-assistant.js) in a new Node process, as a user
 * does: compiled dist/ when it is current, else the sources through tsx.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = path.join(REPO, 'bin/ops-assistant.js');
const TRACE = fileURLToPath(new URL('./module-trace.mjs', import.meta.url));

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Module URLs the process resolved (only with `trace`). */
  readonly loaded: string[];
}

/** Options of {@link runCli}. */
export interface RunOptions {
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Record the modules loaded (a resolve hook via `node --import`). */
  readonly trace?: boolean;
}

/** Runs `ops-assistant <args>` and waits for it (no TTY: stdout and stderr are pipes). */
export function runCli(args: readonly string[], options: RunOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [...(options.trace ? ['--import', TRACE] : []), BIN, ...args], {
    encoding: 'utf8', input: options.input ?? '', cwd: options.cwd ?? REPO, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env },
  });
  const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('LOADED ')).join('\n'), loaded };
}

/** True when util-linux `script` (a pseudo-terminal) is available. */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * Runs a shell command line inside a pseudo-terminal (util-linux `script`), so stdin, stdout and
 * stderr are all a TTY of `columns` columns. `feed` writes to the terminal's input: each item
 * after waiting its `afterMs`. Resolves with everything the terminal showed.
 */
export function runInTty(commandLine: string, options: { columns?: number; env?: NodeJS.ProcessEnv; feed?: ReadonlyArray<{ afterMs: number; text: string }> } = {}): Promise<{ status: number | null; output: string }> {
  const line = `stty cols ${options.columns ?? 80} rows 50; ${commandLine}`;
  const child = spawn('script', ['-qefc', line, '/dev/null'], { cwd: REPO, env: { ...process.env, NO_COLOR: '', TERM: 'xterm-256color', ...options.env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString('utf8'); });
  let delay = 0;
  for (const item of options.feed ?? []) {
    delay += item.afterMs;
    setTimeout(() => child.stdin.write(item.text), delay);
  }
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/** Removes ANSI escape sequences (colours, cursor moves) from terminal output. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** `ops-assistant <args>` as a shell command line (for {@link runInTty}). */
export function shellLine(args: readonly string[]): string {
  return [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

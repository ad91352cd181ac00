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

/** Something to type into the terminal: after `afterText` has appeared in its output (when given), then `afterMs`. */
export interface TtyInput {
  readonly afterText?: string;
  readonly afterMs: number;
  readonly text: string;
}

/**
 * Runs a shell command line inside a pseudo-terminal (util-linux `script`), so stdin, stdout and
 * stderr are all a TTY of `columns` columns. `feed` is typed into the terminal in order, each item
 * when its condition is met. Resolves with everything the terminal showed.
 */
export function runInTty(commandLine: string, options: { columns?: number; env?: NodeJS.ProcessEnv; feed?: readonly TtyInput[] } = {}): Promise<{ status: number | null; output: string }> {
  const line = `stty cols ${options.columns ?? 80} rows 50; ${commandLine}`;
  const child = spawn('script', ['-qefc', line, '/dev/null'], { cwd: REPO, env: { ...process.env, NO_COLOR: '', TERM: 'xterm-256color', ...options.env } });
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    output += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const appeared = (text: string): Promise<void> => new Promise((resolve) => {
    const check = (): void => (output.includes(text) ? resolve() : void waiters.push(check));
    check();
  });
  void (async () => {
    for (const item of options.feed ?? []) {
      if (item.afterText !== undefined) await appeared(item.afterText);
      await new Promise((r) => setTimeout(r, item.afterMs));
      child.stdin.write(item.text);
    }
  })();
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

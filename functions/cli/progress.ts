/**
 * Progress on stderr for runs that take more than a second: lines read of each input, then the
 * pipeline stage. Shown only when stderr is a terminal (never in pipes, files or CI logs), and never
 * while evidence is being typed on a terminal stdin, with
 * ora's spinner, which it loads only then, and cleared before the report is printed.
 */
import type { Ora } from 'ora';
import { terminal } from './options.js';

/** What a command reports; every method is cheap to call often. */
export interface Progress {
  /** Lines (and, when known, bytes) read so far of the input `source`. */
  read(source: string, lines: number, bytes?: number): void;
  /** The pipeline stage that starts. */
  stage(name: string): void;
  /** Clears the line; call before printing the result. */
  stop(): void;
}

/** Milliseconds before progress appears: quick runs show none. */
export const PROGRESS_DELAY_MS = 1000;

const STAGE_TEXT: Readonly<Record<string, string>> = {
  collect: 'collecting evidence', analyze: 'analyzing', retrieve: 'searching runbooks', infer: 'ranking hypotheses', compose: 'writing the report',
};

/**
 * A progress reporter on `stream` (default stderr): silent unless `stream` is a TTY, and until
 * {@link PROGRESS_DELAY_MS} have passed.
 */
export function progressOn(stream: NodeJS.WriteStream = process.stderr): Progress {
  // A terminal that reports no width (columns 0, e.g. a bare pseudo-terminal) is left alone: the
  // spinner could not tell how many lines to clear.
  if (stream.isTTY !== true || !(stream.columns > 0)) return { read() {}, stage() {}, stop() {} };
  let text = 'starting';
  let spinner: Ora | undefined;
  let stopped = false;
  let lastUpdate = 0;
  // Someone typing or pasting evidence on a terminal stdin: a spinner would draw over their input,
  // so it waits until that input has ended (Ctrl-D).
  const typing = (): boolean => {
    const stdin = process.stdin;
    return stdin.isTTY === true && stdin.readableFlowing !== null && !stdin.readableEnded && !stdin.destroyed;
  };
  let timer: NodeJS.Timeout;
  const arm = (ms: number): void => {
    timer = setTimeout(() => (typing() ? arm(200) : start()), ms);
    timer.unref();
  };
  const start = (): void => {
    void import('ora').then(({ default: ora }) => {
      if (stopped) return;
      // discardStdin: false, or ora would swallow evidence typed or piped on stdin
      spinner = ora({ text, stream, discardStdin: false, color: terminal(stream).color ? 'cyan' : false }).start();
    }, () => undefined);
  };
  arm(PROGRESS_DELAY_MS);
  const show = (next: string): void => {
    text = next;
    if (spinner) spinner.text = next;
  };
  return {
    read(source, lines, bytes) {
      const now = Date.now();
      if (now - lastUpdate < 100) return;
      lastUpdate = now;
      show(`reading ${source}: ${lines.toLocaleString('en-US')} ${lines === 1 ? 'line' : 'lines'}${bytes === undefined ? '' : ` (${(bytes / 1048576).toFixed(1)} MiB)`}`);
    },
    stage(name) {
      show(STAGE_TEXT[name] ?? name);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      spinner?.stop();
    },
  };
}

/**
 * Says on stderr that evidence is read from stdin when stdin is a terminal (someone is expected to
 * type or paste it), so a command waiting for input does not look hung.
 */
export function noteStdinReading(what: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): void {
  if (stdin.isTTY === true) stderr.write(`reading ${what} from stdin, end with Ctrl-D\n`);
}

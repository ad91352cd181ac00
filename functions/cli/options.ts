/**
 * Conventions every command shares (kubectl's are the model): `-o/--output` with `--format` kept
 * as its alias, an Examples section at the end of each `--help`, and what the terminal allows
 * (width, colour). Light: commander and Node built-ins only.
 */
import { Option, type Command } from 'commander';

/** Output formats `diagnose` prints; `md` is `markdown`. */
export const DIAGNOSIS_OUTPUTS = ['text', 'json', 'yaml', 'md', 'markdown', 'html'] as const;

/**
 * Adds `-o, --output <format>` (choices `formats`, default `fallback`) and its alias `--format`
 * (the older spelling, kept so scripts keep working; giving both is an error).
 */
export function addOutputOption(command: Command, formats: readonly string[], fallback: string): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'output format').choices(formats).default(fallback))
    .addOption(new Option('--format <format>', 'same as --output (older spelling)').choices(formats).conflicts('output'));
}

/** The format chosen with `-o`/`--output` or `--format`; `md` is read as `markdown`. */
export function outputOf(options: { output?: string; format?: string }, command: Command): string {
  // --output has a default: the alias wins only when --output was not given on the command line.
  const given = command.getOptionValueSource('output') === 'cli' ? options.output : options.format ?? options.output;
  return given === 'md' ? 'markdown' : given!;
}

/**
 * Ends `command`'s `--help` with an Examples section in kubectl's layout: each example's purpose
 * as a `#` comment, then the command line on its own line, so it can be pasted as it is.
 */
export function examples(command: Command, lines: ReadonlyArray<readonly [string, string]>): Command {
  const body = lines.map(([cmd, what]) => `  # ${what}\n  ${cmd}`);
  return command.addHelpText('after', `\nExamples:\n${body.join('\n\n')}\n`);
}

/** What a stream of this process is connected to. */
export interface TerminalFacts {
  /** Columns to wrap text to: the terminal's width on a TTY, else 80. */
  readonly width: number;
  /** Colour: only on a TTY, never with `NO_COLOR` set (https://no-color.org), and not on `TERM=dumb`. */
  readonly color: boolean;
}

/** {@link TerminalFacts} of `stream` (default stdout) under `env`. */
export function terminal(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): TerminalFacts {
  const tty = stream.isTTY === true;
  const columns = tty && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
  return {
    width: Math.max(40, Math.min(columns, 200)),
    color: tty && !env.NO_COLOR && env.TERM !== 'dumb',
  };
}

/**
 * Multi-line event grouping: continuation lines (stack frames, `Caused by:`, Python tracebacks,
 * indented lines) are joined to the event they continue, so a stack trace is one event.
 */

/** Options of {@link MultilineGrouper}. */
export interface MultilineOptions {
  /**
   * Decides whether a line starts a new event. Default: {@link isContinuationLine} is false.
   * With a `--log-format`, pass `(line) => format.parse(line) !== undefined`.
   */
  readonly isEventStart?: (line: string) => boolean;
  /** Most lines joined into one event; further lines start a new event. Default 500. */
  readonly maxLines?: number;
  /** Most characters of one event; further lines start a new event. Default 64 KiB. */
  readonly maxChars?: number;
}

/** One grouped event: its lines joined with `\n`, and the 1-based number of its first line. */
export interface GroupedEvent {
  readonly text: string;
  readonly line: number;
}

const RE_CONTINUATION =
  /^(?:[ \t]+\S|\s*at [\w$.<>]+\(|Caused by: |Suppressed: |\s*\.\.\. \d+ (?:more|common frames omitted)|Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause)/;
/** A Java exception header (`java.lang.IllegalStateException: closed`) right after a log line. */
const RE_JAVA_EXCEPTION = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)(?::.*)?$/;
const RE_PY_EXCEPTION_END = /^[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning)(?::.*)?$/;

/**
 * True when `line` continues the previous event: it is indented, or a Java exception header
 * (`java.lang.IllegalStateException: closed`), stack frame (`at pkg.Class.method(File.java:12)`),
 * `Caused by:`, `Suppressed:`, `... 12 more`, or a Python `Traceback (most recent call last):` line.
 * Blank lines are not continuations.
 */
export function isContinuationLine(line: string): boolean {
  return RE_CONTINUATION.test(line) || RE_JAVA_EXCEPTION.test(line);
}

/**
 * Streams raw lines in, complete events out. Memory is bounded by one event.
 * @example
 * const g = new MultilineGrouper();
 * g.push('ERROR boom'); g.push('\tat a.B.c(B.java:1)'); g.push('INFO next'); // -> [{ text: 'ERROR boom\n\tat a.B.c(B.java:1)', line: 1 }]
 */
export class MultilineGrouper {
  private readonly isEventStart: (line: string) => boolean;
  private readonly maxLines: number;
  private readonly maxChars: number;
  private lines: string[] = [];
  private chars = 0;
  private first = 0;
  private lineNo = 0;
  private inTraceback = false;

  constructor(options: MultilineOptions = {}) {
    this.isEventStart = options.isEventStart ?? ((line) => !isContinuationLine(line));
    this.maxLines = options.maxLines ?? 500;
    this.maxChars = options.maxChars ?? 65536;
  }

  /** Adds one raw line (without its line break); returns the event it completed, if any. */
  push(line: string): GroupedEvent | undefined {
    this.lineNo++;
    const continues =
      this.lines.length > 0 &&
      line.length > 0 &&
      this.lines.length < this.maxLines &&
      this.chars + line.length < this.maxChars &&
      (!this.isEventStart(line) || (this.inTraceback && RE_PY_EXCEPTION_END.test(line)));
    if (continues) {
      this.lines.push(line);
      this.chars += line.length + 1;
      if (line.startsWith('Traceback (most recent call last):')) this.inTraceback = true;
      else if (this.inTraceback && RE_PY_EXCEPTION_END.test(line)) this.inTraceback = false;
      return undefined;
    }
    const done = this.flush();
    this.lines = [line];
    this.chars = line.length;
    this.first = this.lineNo;
    this.inTraceback = line.startsWith('Traceback (most recent call last):');
    return done;
  }

  /** Returns the pending event, if any (call at end of input). */
  flush(): GroupedEvent | undefined {
    if (this.lines.length === 0) return undefined;
    const event = { text: this.lines.join('\n'), line: this.first };
    this.lines = [];
    this.chars = 0;
    this.inTraceback = false;
    return event;
  }
}

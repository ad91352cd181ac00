/**
 * Helpers for the recorded HolmesGPT kubectl fixtures (`../shared/data/k8s/holmesgpt`).
 *
 * Each recorded tool output is: line 1 a JSON object naming the tool and its parameters, line 2 a
 * JSON result header (`status`, `return_code`, `params`), then (in most files) `stdout:` followed
 * by the raw command output, then `stderr:` and any error text. Source: the fixtures'
 * PROVENANCE.md (robusta-dev/holmesgpt, `tests/llm/fixtures`).
 */

/** The tool call recorded on the first line of a HolmesGPT fixture, when present. */
export interface HolmesToolHeader {
  readonly toolName?: string;
  readonly params?: Record<string, unknown>;
}

function parseJsonLine(line: string | undefined): Record<string, unknown> | undefined {
  if (!line || !line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the tool header of a fixture (first line: `tool_name`, `match_params`).
 * @returns undefined when the first line is not a HolmesGPT tool header
 */
export function holmesToolHeader(text: string): HolmesToolHeader | undefined {
  const first = parseJsonLine(text.split('\n', 1)[0]);
  if (!first || typeof first['tool_name'] !== 'string') return undefined;
  const params = first['match_params'];
  return {
    toolName: first['tool_name'],
    ...(typeof params === 'object' && params !== null ? { params: params as Record<string, unknown> } : {}),
  };
}

/**
 * Strips the HolmesGPT tool header from a recorded output and returns the plain command output:
 * removes line 1 (the tool call, a JSON object with `tool_name`) and line 2 (the JSON result
 * header, with `status`/`schema_version`) when they are there, the `stdout:` line that follows,
 * and the `stderr:` marker line (the error text after it is kept). Text that does not start with
 * a tool header is returned unchanged.
 *
 * By default (`keepLineNumbers: true`) the removed lines are replaced by empty lines, so line
 * numbers of the result still point into the original file (the evidence parsers skip blank
 * lines); with `keepLineNumbers: false` they are removed.
 *
 * @example stripHolmesToolHeader('{"tool_name":"kubectl_logs"}\n{"status":"success"}\nstdout:\nboom\nstderr:\n', { keepLineNumbers: false }) // → 'boom\n'
 */
export function stripHolmesToolHeader(text: string, options: { keepLineNumbers?: boolean } = {}): string {
  const keep = options.keepLineNumbers ?? true;
  const lines = text.split('\n');
  let start = 0;
  const first = parseJsonLine(lines[0]);
  if (!first || !('tool_name' in first || 'toolset_name' in first)) return text;
  start = 1;
  const second = parseJsonLine(lines[1]);
  if (second && ('status' in second || 'schema_version' in second || 'return_code' in second)) start = 2;
  if (lines[start]?.replace(/\r$/, '') === 'stdout:') start++;
  const out: string[] = keep ? new Array<string>(start).fill('') : [];
  for (const line of lines.slice(start)) {
    if (line.replace(/\r$/, '') === 'stderr:') {
      if (keep) out.push('');
      continue;
    }
    out.push(line);
  }
  unquoteBody(out, keep ? start : 0);
  return out.join('\n');
}

/**
 * Some fixtures hold the command output as a JSON-string fragment: the first line starts with
 * ` "` and the last one ends with `",` or `"`. Removes those quote characters in place.
 */
function unquoteBody(out: string[], from: number): void {
  let first = from;
  while (first < out.length && out[first]!.trim() === '') first++;
  let last = out.length - 1;
  while (last > first && out[last]!.trim() === '') last--;
  if (first >= out.length || !/^\s?"/.test(out[first]!) || !/",?\r?$/.test(out[last]!)) return;
  out[first] = out[first]!.replace(/^\s?"/, '');
  out[last] = out[last]!.replace(/",?(\r?)$/, '$1');
}

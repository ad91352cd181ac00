/**
 * Line splitting with 1-based line numbers, shared by the evidence format parsers.
 */

/**
 * Splits text into lines on `\n` (a preceding `\r` is removed). A trailing line terminator does
 * not produce an extra empty line. Index `i` of the result is line `i + 1` of the text.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Character offset of the start of each line of `text` (index `i` is line `i + 1`). */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Number of leading spaces (a tab counts as one). */
export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** True when the line is empty or only whitespace. */
export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/**
 * The log level of a line, from its header or from words in it; and level ranks (FATAL 5 …
 * DEBUG 1, 0 none) as kept per line in compact columns.
 */

const LEVELS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:FATAL|CRITICAL|CRIT|EMERG(?:ENCY)?|ALERT|PANIC)\b/i, 'FATAL'],
  [/\b(?:ERROR|ERR|SEVERE|Exception|Traceback)\b/, 'ERROR'],
  [/\berror\b/, 'ERROR'],
  [/\b(?:WARN(?:ING)?|W\d{4} )\b/i, 'WARN'],
  [/\b(?:INFO|NOTICE)\b/i, 'INFO'],
  [/\b(?:DEBUG|TRACE|FINE)\b/i, 'DEBUG'],
];

/** Rank of each level: higher is more severe. */
export const LEVEL_RANK: Readonly<Record<string, number>> = { FATAL: 5, ERROR: 4, WARN: 3, INFO: 2, DEBUG: 1 };
/** The level of each rank (index 0: none). */
export const RANK_LEVEL: readonly string[] = ['', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The log level of a line: from its header when it has one, else from words in the line. */
export function detectLevel(line: string, headerLevel?: string): string | undefined {
  if (headerLevel) {
    const h = headerLevel.toUpperCase();
    if (/^(?:F|FATAL|CRIT|CRITICAL|PANIC|EMERG)/.test(h)) return 'FATAL';
    if (/^(?:E|ERR|ERROR|SEVERE)$/.test(h)) return 'ERROR';
    if (/^(?:W|WARN|WARNING)$/.test(h)) return 'WARN';
    if (/^(?:I|INFO|NOTICE)$/.test(h)) return 'INFO';
    if (/^(?:D|DEBUG|TRACE|V)$/.test(h)) return 'DEBUG';
  }
  for (const [re, level] of LEVELS) if (re.test(line)) return level;
  return undefined;
}

/** {@link detectLevel} as a rank (0 when the line has no level). */
export function levelRankOf(line: string, headerLevel?: string): number {
  const level = detectLevel(line, headerLevel);
  return level ? LEVEL_RANK[level]! : 0;
}

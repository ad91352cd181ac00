// Module resolution hook (node:module register): writes `LOADED <url>` to stderr for each module
// resolved, so a test can tell which modules a command loaded.
import { writeSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, `LOADED ${result.url}\n`);
  return result;
}

/**
 * Small helpers that keep adapters bounded in time, bytes and calls.
 */

/**
 * Resolves after `ms` milliseconds, or rejects with an `AbortError` as soon as `signal` aborts.
 * @throws DOMException `AbortError` when `signal` aborts first.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Exponential backoff with full jitter: a delay in [base, min(cap, base·2^attempt)] ms.
 * Source: "Exponential Backoff And Jitter", AWS Architecture Blog (2015).
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return baseMs + Math.floor(random() * Math.max(0, ceiling - baseMs));
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** UTF-8 size of a string, bytes. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  // A character split by the cut decodes to U+FFFD: drop it.
  while (cut.endsWith('\uFFFD') && !text.startsWith(cut)) cut = cut.slice(0, -1);
  return cut;
}

/**
 * Waits before conditional-write retry `attempt` (0-based): "full jitter" exponential backoff
 * (a random time up to `min(capMs, baseMs × 2^attempt)`), so that writers that lost the same race
 * do not all come back at once (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffWithJitter(attempt: number, baseMs = 10, capMs = 200, random: () => number = Math.random): Promise<void> {
  return sleep(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20)));
}

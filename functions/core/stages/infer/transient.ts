/**
 * Start-up races: a client that cannot reach its dependency while both are starting, retries and
 * then comes up (`connect: Connection refused` … `retrying to connect (2/5)` … `server listening at
 * http://0.0.0.0:8081`) shows no failure. The wordings of a service coming up are here
 * ({@link CAME_UP}); `recovery.ts` discounts the errors they follow (same component, no repeat
 * after it) by `WEIGHTS.transient.startupRace`.
 */

/**
 * A line saying a server or client came up: Node/Express and Go servers (`listening at`, `listening
 * on`), PostgreSQL/MySQL/Redis (`ready to accept connections`), Spring Boot (`Started X in 3.1
 * seconds`), clients reconnecting (`connected to`, `connection established`).
 */
export const CAME_UP = /\blistening (?:at|on)\b|\bserver (?:is )?(?:listening|running|started)\b|\bready (?:to|for) (?:accept )?connections\b|\bStarted \S{1,120} in \d{1,5}(?:\.\d{1,4})? seconds\b|\b(?:successfully )?connected to\b|\bconnection (?:established|restored)\b|\bstartup complete\b/i;

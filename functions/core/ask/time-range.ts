/**
 * Time ranges in plain words: "in the last 30 minutes", "past 2h", "since 10:15", "since 9am",
 * "2 hours ago", "today", "this morning", "since yesterday", "yesterday", "last night", "this week",
 * "over the last day". Times are UTC.
 */

/** A parsed range: ISO-8601 UTC strings, and the words it was read from. */
export interface PlainTimeRange {
  readonly start: string;
  readonly end: string;
  readonly text: string;
}

const UNIT_MS: Record<string, number> = {
  s: 1_000, sec: 1_000, secs: 1_000, second: 1_000, seconds: 1_000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, fifteen: 15, twenty: 20, thirty: 30, 'forty-five': 45, half: 0.5 };

/**
 * Finds a time range in `text`, relative to `now`. Returns undefined when the text names none.
 * @example parseTimeRange('errors in payments in the last 30 minutes', new Date('2026-11-30T10:00:00Z'))
 *   // → { start: '2026-11-30T09:30:00.000Z', end: '2026-11-30T10:00:00.000Z', text: 'last 30 minutes' }
 */
export function parseTimeRange(text: string, now: Date): PlainTimeRange | undefined {
  const end = now.getTime();
  const lower = text.toLowerCase();
  // "last 30 min", "past half hour", and the non-native "since 2 days" (the last two days).
  const rel = /\b(?:last|past|previous|over the last|in the last|within the last|since)\s+(?:(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty-five|half(?:\s{1,8}an?)?)\s*)?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|[smhdw])\b(?!\s{0,8}ago)/.exec(lower);
  if (rel && !(rel[0].startsWith('since') && rel[1] === undefined)) {
    const rawCount = rel[1]?.replace(/\s{1,8}an?$/, '') ?? '1';
    const count = Number.isFinite(Number(rawCount)) ? Number(rawCount) : WORD_NUMBERS[rawCount] ?? 1;
    const unit = UNIT_MS[rel[2]!]!;
    return { start: new Date(end - count * unit).toISOString(), end: now.toISOString(), text: rel[0].replace(/^(over the|in the|within the)\s+/, '').replace(/^since\s+/, 'last ') };
  }
  const ago = /\b(?:since\s+|from\s+)?(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty-five|half an?)\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|[mhdw])\s+ago\b/.exec(lower);
  if (ago) {
    const raw = ago[1]!.replace(/\s{1,8}an?$/, '');
    const count = Number.isFinite(Number(raw)) ? Number(raw) : WORD_NUMBERS[raw] ?? 1;
    return { start: new Date(end - count * UNIT_MS[ago[2]!]!).toISOString(), end: now.toISOString(), text: `since ${ago[0].replace(/^(?:since|from)\s+/, '')}` };
  }
  // "between 10:00 and 11:00", "from 9am to 11am": that span today (yesterday when it is still ahead).
  const span = /\b(?:between|from)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s+(?:and|to|until|till|-)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(lower);
  if (span && (span[2] !== undefined || span[3] !== undefined || span[5] !== undefined || span[6] !== undefined)) {
    const at = (h: string, m: string | undefined, ap: string | undefined): number => {
      let hours = Number(h);
      if (ap === 'pm' && hours < 12) hours += 12;
      if (ap === 'am' && hours === 12) hours = 0;
      return hours * 3_600_000 + Number(m ?? 0) * 60_000;
    };
    const from = at(span[1]!, span[2], span[3] ?? span[6]);
    const to = at(span[4]!, span[5], span[6]);
    let day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    if (day + from > end) day -= 86_400_000;
    if (to > from && to <= 86_400_000) return { start: new Date(day + from).toISOString(), end: new Date(Math.min(day + to, end)).toISOString(), text: span[0] };
  }
  const since = /\b(?:since|after|from)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|utc|z)?\b/.exec(lower);
  if (since && (since[2] !== undefined || since[3] !== undefined)) {
    let hours = Number(since[1]);
    if (since[3] === 'pm' && hours < 12) hours += 12;
    if (since[3] === 'am' && hours === 12) hours = 0;
    if (hours < 24 && Number(since[2] ?? 0) < 60) {
      const start = new Date(now);
      start.setUTCHours(hours, Number(since[2] ?? 0), 0, 0);
      if (start.getTime() > end) start.setUTCDate(start.getUTCDate() - 1);
      return { start: start.toISOString(), end: now.toISOString(), text: since[0] };
    }
  }
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (/\btoday\b|\bthis morning\b/.test(lower)) {
    return { start: dayStart.toISOString(), end: now.toISOString(), text: /\btoday\b/.test(lower) ? 'today' : 'this morning' };
  }
  if (/\bsince yesterday\b/.test(lower)) {
    return { start: new Date(dayStart.getTime() - 86_400_000).toISOString(), end: now.toISOString(), text: 'since yesterday' };
  }
  if (/\bthis week\b/.test(lower)) {
    const monday = new Date(dayStart.getTime() - ((dayStart.getUTCDay() + 6) % 7) * 86_400_000);
    return { start: monday.toISOString(), end: now.toISOString(), text: 'this week' };
  }
  if (/\blast night\b|\bovernight\b/.test(lower)) {
    return { start: new Date(dayStart.getTime() - 6 * 3_600_000).toISOString(), end: new Date(dayStart.getTime() + 6 * 3_600_000).toISOString(), text: /last night/.test(lower) ? 'last night' : 'overnight' };
  }
  if (/\byesterday\b/.test(lower)) {
    return { start: new Date(dayStart.getTime() - 86_400_000).toISOString(), end: dayStart.toISOString(), text: 'yesterday' };
  }
  if (/\b(last|past) (hour|day|week)\b/.test(lower)) {
    const unit = /\b(?:last|past) (hour|day|week)\b/.exec(lower)![1]!;
    return { start: new Date(end - UNIT_MS[unit]!).toISOString(), end: now.toISOString(), text: `last ${unit}` };
  }
  return undefined;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY = String.raw`(sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|rsday|urday|sday)?`;
const DAY_MS = 86_400_000;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember)?\.?`;

/**
 * Calendar words in `text`, relative to `now` (UTC): "since monday" (from the most recent Monday
 * 00:00, today when today is Monday), "on tuesday" / "last tuesday" (that whole day, the most recent
 * one before today), "since 2026-11-28" (from that day 00:00, or that instant when a time is
 * given), "on 2026-11-30" (that whole day). Undefined when the text names none of these; other
 * words are {@link parseTimeRange}'s. A range never ends after `now`.
 * @example parseCalendarRange('errors in checkout since monday', new Date('2026-12-03T10:00:00Z'))
 *   // → { start: '2026-11-30T00:00:00.000Z', end: '2026-12-03T10:00:00.000Z', text: 'since monday' }
 */
export function parseCalendarRange(text: string, now: Date): PlainTimeRange | undefined {
  const lower = text.toLowerCase();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const end = now.toISOString();
  // "between 2026-12-01 and 2026-12-03", "from 2026-12-01 to 2026-12-03": both whole days.
  const between = /\b(?:between|from)\s+(\d{4}-\d{2}-\d{2})\s+(?:and|to|until|till|-)\s+(\d{4}-\d{2}-\d{2})\b/.exec(lower);
  if (between) {
    const a = Date.parse(`${between[1]}T00:00:00Z`);
    const b = Date.parse(`${between[2]}T00:00:00Z`);
    if (Number.isFinite(a) && Number.isFinite(b) && b >= a) return { start: new Date(a).toISOString(), end: new Date(Math.min(b + DAY_MS, now.getTime())).toISOString(), text: `from ${between[1]} to ${between[2]}` };
  }
  // "since dec 1", "on nov 27th", "since 1st of december", "on december 5": this year's, or last year's when still ahead.
  const named = new RegExp(String.raw`\b(since|from|after|on|for|of)\s+(?:the\s+)?(?:${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH})\b`).exec(lower);
  if (named) {
    const month = MONTHS.findIndex((m) => m.startsWith((named[2] ?? named[5])!.slice(0, 3)));
    const dayOfMonth = Number(named[3] ?? named[4]);
    let day = Date.UTC(now.getUTCFullYear(), month, dayOfMonth);
    if (day > now.getTime()) day = Date.UTC(now.getUTCFullYear() - 1, month, dayOfMonth);
    const iso = new Date(day).toISOString().slice(0, 10);
    if (dayOfMonth >= 1 && dayOfMonth <= 31) {
      if (/^(?:since|from|after)$/.test(named[1]!)) return { start: new Date(day).toISOString(), end, text: `since ${iso}` };
      return { start: new Date(day).toISOString(), end: new Date(Math.min(day + DAY_MS, now.getTime())).toISOString(), text: `on ${iso}` };
    }
  }
  const date = /\b(since|from|after|on|for|of)\s+(\d{4}-\d{2}-\d{2})(?:[t ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:z|utc)?)?\b/.exec(lower);
  if (date) {
    const day = Date.parse(`${date[2]}T00:00:00Z`);
    if (Number.isFinite(day)) {
      const at = date[3] ? Date.parse(`${date[2]}T${date[3]}Z`) : day;
      if (/^(?:since|from|after)$/.test(date[1]!)) return { start: new Date(at).toISOString(), end, text: `since ${date[2]}${date[3] ? ` ${date[3]}` : ''}` };
      return { start: new Date(day).toISOString(), end: new Date(Math.min(day + DAY_MS, now.getTime())).toISOString(), text: `on ${date[2]}` };
    }
  }
  const weekday = new RegExp(String.raw`\b(since|from|on|last)\s+(?:last\s+)?${WEEKDAY}\b`).exec(lower);
  if (weekday) {
    const index = WEEKDAYS.findIndex((d) => d.startsWith(weekday[2]!.slice(0, 3)));
    const back = (now.getUTCDay() - index + 7) % 7;
    if (/^(?:since|from)$/.test(weekday[1]!)) {
      return { start: new Date(today - back * DAY_MS).toISOString(), end, text: `since ${WEEKDAYS[index]}` };
    }
    // "on monday" / "last monday": the whole day, the most recent one before today.
    const start = today - (back === 0 ? 7 : back) * DAY_MS;
    return { start: new Date(start).toISOString(), end: new Date(start + DAY_MS).toISOString(), text: `on ${WEEKDAYS[index]}` };
  }
  return undefined;
}

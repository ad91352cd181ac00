/**
 * The alarm-tag rule of the alarm policy, pure: which tags an alarm must carry
 * (`ALARM_TAG_FILTER`, `--alarm-tag-filter`) and the verdict for the tags it has. The CloudWatch
 * filter (Lambda) reads tags with `ListTagsForResource`; the local filter from a file.
 */
import { InvalidInputError } from '../model/errors.js';
import type { Incident } from '../model/incident.js';
import type { AlarmTagRequirement, AlarmTagVerdict } from './ports.js';

/** Name the degradation uses as its component. */
export const ALARM_TAG_FILTER_COMPONENT = 'alarm-tag-filter';

/**
 * Parses a tag filter: comma-separated `key=value` pairs (the value is everything after the
 * first `=`; surrounding spaces are trimmed). Empty or blank text means no filter (`[]`).
 * Format source: the CDK app's `alarmTags` context (`infra/lib/config.ts`).
 * @throws InvalidInputError naming `ALARM_TAG_FILTER` for an entry without `=` or with an empty key.
 */
export function parseAlarmTagFilter(text: string | undefined): AlarmTagRequirement[] {
  if (!text?.trim()) return [];
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((entry) => {
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (eq < 0 || !key) throw new InvalidInputError('ALARM_TAG_FILTER', `${JSON.stringify(entry)} is not key=value`);
    return { key, value: entry.slice(eq + 1).trim() };
  });
}

/**
 * The alarm's ARN: `incident.alarm.arn`, else built from the incident's region, account and
 * alarm name (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`, partition `aws`); undefined
 * when neither is known.
 */
export function alarmArnOf(incident: Incident): string | undefined {
  const alarm = incident.alarm;
  if (!alarm) return undefined;
  if (alarm.arn) return alarm.arn;
  if (incident.region && incident.accountId) return `arn:aws:cloudwatch:${incident.region}:${incident.accountId}:alarm:${alarm.name}`;
  return undefined;
}

/** The verdict for an alarm carrying `tags` against the `required` ones. */
export function tagVerdict(alarmArn: string, required: readonly AlarmTagRequirement[], tags: ReadonlyMap<string, string>): AlarmTagVerdict {
  const missing = required.filter((r) => tags.get(r.key) !== r.value);
  if (missing.length === 0) return { kind: 'match', alarmArn };
  const describe = (r: AlarmTagRequirement) => `${r.key}=${r.value}${tags.has(r.key) ? ` (has ${r.key}=${tags.get(r.key)})` : ''}`;
  return { kind: 'mismatch', alarmArn, missing, reason: `alarm lacks the tag${missing.length > 1 ? 's' : ''} ALARM_TAG_FILTER requires: ${missing.map(describe).join(', ')}` };
}

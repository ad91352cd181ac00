/**
 * The alarm-tag filter of local runs (`ops-assistant diagnose|serve --alarm-tag-filter key=value
 * --alarm-tags tags.json`): alarm events carry no tags, and there is no CloudWatch to ask, so the
 * tags come from a JSON file `{ "<alarm name or ARN>": { "<key>": "<value>" } }` (what
 * `aws cloudwatch list-tags-for-resource` shows). The rule is the core's (`core/diagnose/alarm-tags.ts`).
 * An alarm the file does not list is diagnosed, with a degradation saying its tags are unknown.
 */
import { readFile } from 'node:fs/promises';
import type { Incident } from '../../core/model/incident.js';
import { InvalidInputError, describeError } from '../../core/model/errors.js';
import type { AlarmTagFilter, AlarmTagRequirement, AlarmTagVerdict } from '../../core/diagnose/ports.js';
import { ALARM_TAG_FILTER_COMPONENT, alarmArnOf, tagVerdict } from '../../core/diagnose/alarm-tags.js';

/**
 * @example
 * const filter = await FileAlarmTagFilter.load(parseAlarmTagFilter('team=payments'), 'tags.json');
 * (await filter.check(incident)).kind; // 'match' | 'mismatch' | 'unknown'
 */
export class FileAlarmTagFilter implements AlarmTagFilter {
  constructor(private readonly required: readonly AlarmTagRequirement[], private readonly tagsByAlarm: Readonly<Record<string, Readonly<Record<string, string>>>>) {}

  /** Reads the tags file. @throws InvalidInputError naming the file when it cannot be read or is not such an object. */
  static async load(required: readonly AlarmTagRequirement[], file: string): Promise<FileAlarmTagFilter> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new InvalidInputError(file, `cannot read the alarm tags file (${describeError(error)})`, { cause: error });
    }
    const ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      && Object.values(parsed).every((tags) => typeof tags === 'object' && tags !== null && Object.values(tags).every((v) => typeof v === 'string'));
    if (!ok) throw new InvalidInputError(file, 'alarm tags file must be { "<alarm name or ARN>": { "<key>": "<value>" } }');
    return new FileAlarmTagFilter(required, parsed as Record<string, Record<string, string>>);
  }

  async check(incident: Incident): Promise<AlarmTagVerdict> {
    const arn = alarmArnOf(incident);
    const name = incident.alarm?.name;
    const tags = (arn && this.tagsByAlarm[arn]) || (name && this.tagsByAlarm[name]) || undefined;
    if (!tags) {
      return { kind: 'unknown', ...(arn ? { alarmArn: arn } : {}), degradation: { component: ALARM_TAG_FILTER_COMPONENT, kind: 'skipped', reason: `alarm ${name ?? '(none)'} is not in the alarm tags file, so the tag filter could not be applied; diagnosed anyway` } };
    }
    return tagVerdict(arn ?? name!, this.required, new Map(Object.entries(tags)));
  }
}

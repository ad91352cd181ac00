/**
 * The alarm-tag filter of the alarm function (`ALARM_TAG_FILTER=key=value,…`): EventBridge alarm
 * events carry no tags, so the function reads the alarm's tags with CloudWatch
 * `ListTagsForResource` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListTagsForResource.html)
 * and acts only on alarms that carry every required tag.
 *
 * Rules:
 * - an alarm carrying every `key=value` pair (exact, case-sensitive, as IAM and CloudWatch compare
 *   tags) `matches`; an alarm missing one is a `mismatch` (the caller ignores it);
 * - when the tags cannot be read (permission denied, throttled or 5xx after the SDK's retries,
 *   timeout, alarm not found, no ARN to ask about), the verdict is `unknown` with a degradation
 *   naming the missing permission or failure: the alarm is NOT dropped (a filter that silently
 *   drops alarms when IAM is wrong would hide incidents);
 * - tags read successfully are memoised per alarm ARN for `cacheTtlMs` (default 5 minutes) in
 *   this process, so a storm of one alarm costs one call; failures are not memoised.
 */
import { ListTagsForResourceCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Incident } from '../../core/model/incident.js';
import { InvalidInputError } from '../../core/model/errors.js';
import { degradationFor } from './aws-errors.js';
import type { AlarmTagFilter, AlarmTagRequirement, AlarmTagVerdict } from '../../core/diagnose/ports.js';

export type { AlarmTagRequirement, AlarmTagVerdict } from '../../core/diagnose/ports.js';
import { ALARM_TAG_FILTER_COMPONENT, alarmArnOf, tagVerdict } from '../../core/diagnose/alarm-tags.js';

export { parseAlarmTagFilter, ALARM_TAG_FILTER_COMPONENT } from '../../core/diagnose/alarm-tags.js';

export interface CloudWatchAlarmTagFilterOptions {
  /** A CloudWatch client built once per process (its retry settings apply to throttling and 5xx). */
  readonly client: CloudWatchClient;
  /** Every tag an alarm must carry; must not be empty. */
  readonly required: readonly AlarmTagRequirement[];
  /** How long tags read for one alarm ARN are reused, ms; default 300 000 (5 minutes). */
  readonly cacheTtlMs?: number;
  /** Most alarm ARNs kept in the memo (oldest dropped first); default 1000. */
  readonly maxEntries?: number;
  /** Time bound of one `ListTagsForResource` call including retries, ms; default 3000. */
  readonly timeoutMs?: number;
  /** Clock, ms since the epoch (tests). */
  readonly now?: () => number;
}

/**
 * @example
 * const filter = new CloudWatchAlarmTagFilter({ client: cloudwatch, required: parseAlarmTagFilter('team=payments') });
 * const verdict = await filter.check(incident);
 * if (verdict.kind === 'mismatch') return; // not ours
 */
export class CloudWatchAlarmTagFilter implements AlarmTagFilter {
  private readonly memo = new Map<string, { at: number; tags: Promise<ReadonlyMap<string, string>> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CloudWatchAlarmTagFilterOptions) {
    if (options.required.length === 0) throw new InvalidInputError('ALARM_TAG_FILTER', 'the filter needs at least one key=value');
    this.ttlMs = options.cacheTtlMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** The required tags, for logs and docs. */
  get required(): readonly AlarmTagRequirement[] {
    return this.options.required;
  }

  /**
   * The alarm's ARN: `incident.alarm.arn`, else built from the incident's region, account and
   * alarm name (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`, partition `aws`); undefined
   * when neither is known.
   */
  static alarmArnOf(incident: Incident): string | undefined {
    return alarmArnOf(incident);
  }

  /** Checks the incident's alarm against the required tags. Never throws: failures are `unknown`. */
  async check(incident: Incident): Promise<AlarmTagVerdict> {
    const alarmArn = CloudWatchAlarmTagFilter.alarmArnOf(incident);
    if (!alarmArn) {
      return {
        kind: 'unknown',
        degradation: { component: ALARM_TAG_FILTER_COMPONENT, kind: 'skipped', reason: `alarm ${incident.alarm?.name ?? '(none)'} has no ARN (and the event names no region and account), so its tags could not be checked against ALARM_TAG_FILTER; diagnosed anyway` },
      };
    }
    let tags: ReadonlyMap<string, string>;
    try {
      tags = await this.tagsOf(alarmArn);
    } catch (error) {
      const d = degradationFor(ALARM_TAG_FILTER_COMPONENT, 'cloudwatch:ListTagsForResource', alarmArn, error);
      return { kind: 'unknown', alarmArn, degradation: { ...d, reason: `${d.reason}; the alarm tag filter could not be applied, so the alarm was diagnosed anyway` } };
    }
    return tagVerdict(alarmArn, this.options.required, tags);
  }

  /**
   * The alarm's tags (key → value), memoised per ARN for `cacheTtlMs`; concurrent callers share
   * one request. @throws the SDK error of `ListTagsForResource` (not memoised).
   */
  async tagsOf(alarmArn: string): Promise<ReadonlyMap<string, string>> {
    const now = this.now();
    const hit = this.memo.get(alarmArn);
    if (hit && now - hit.at < this.ttlMs) return hit.tags;
    const tags = this.fetch(alarmArn);
    this.memo.delete(alarmArn);
    this.memo.set(alarmArn, { at: now, tags });
    while (this.memo.size > (this.options.maxEntries ?? 1000)) this.memo.delete(this.memo.keys().next().value!);
    tags.catch(() => {
      if (this.memo.get(alarmArn)?.tags === tags) this.memo.delete(alarmArn);
    });
    return tags;
  }

  private async fetch(alarmArn: string): Promise<ReadonlyMap<string, string>> {
    const out = await this.options.client.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }), { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 3000) });
    return new Map((out.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
  }
}

/**
 * The local alarm-tag filter (`--alarm-tag-filter` with `--alarm-tags`) and the local storm guard,
 * driven through `diagnoseLocal` as the CLI runs them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseLocal } from '../../../functions/composition/local.js';
import { InvalidInputError } from '../../../functions/core/model/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-local-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alarmFile(name: string, state: string, time: string): string {
  const file = path.join(dir, `${name}-${state}-${time.replace(/:/g, '')}.json`);
  writeFileSync(file, JSON.stringify({
    version: '0', id: `evt-${name}-${state}-${time}`, 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch',
    account: '111122223333', time, region: 'eu-west-1', resources: [`arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${name}`],
    detail: { alarmName: name, state: { value: state, reason: 'Threshold Crossed', timestamp: time }, previousState: { value: 'OK', timestamp: time }, configuration: { metrics: [] } },
  }));
  return file;
}

describe('local alarm policy', () => {
  const tags = path.join(dir, 'tags.json');
  writeFileSync(tags, JSON.stringify({ PaymentsErrors: { team: 'payments' }, 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:SearchErrors': { team: 'search' } }));
  const filter = { required: 'team=payments', tagsFile: tags };

  it('diagnoses an alarm carrying the tags, ignores one lacking them, and diagnoses an unlisted one with a degradation', async () => {
    const out = path.join(dir, 'tags-out');
    const ok = await diagnoseLocal({ eventPath: alarmFile('PaymentsErrors', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], outDir: out, useModel: false, alarmTagFilter: filter });
    expect(ok.outcome.status).toBe('diagnosed');
    const other = await diagnoseLocal({ eventPath: alarmFile('SearchErrors', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], outDir: out, useModel: false, alarmTagFilter: filter });
    expect(other.outcome).toMatchObject({ status: 'ignored', reason: 'alarm lacks the tag ALARM_TAG_FILTER requires: team=payments (has team=search)' });
    expect(other.render('text')).toBe('Not diagnosed: alarm lacks the tag ALARM_TAG_FILTER requires: team=payments (has team=search).\n');
    const unlisted = await diagnoseLocal({ eventPath: alarmFile('Unlisted', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], outDir: out, useModel: false, alarmTagFilter: filter });
    expect(unlisted.diagnosis!.degraded).toContainEqual(expect.objectContaining({ component: 'alarm-tag-filter', kind: 'skipped' }));
  }, 60_000);

  it('refuses a tags file it cannot read, naming it', async () => {
    await expect(diagnoseLocal({ eventPath: alarmFile('PaymentsErrors', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], useModel: false, alarmTagFilter: { required: 'team=x', tagsFile: path.join(dir, 'missing.json') } }))
      .rejects.toBeInstanceOf(InvalidInputError);
  });

  it('folds a repeated ALARM of the same alarm within the window into the open incident', async () => {
    const out = path.join(dir, 'storm-out');
    const first = await diagnoseLocal({ eventPath: alarmFile('CheckoutErrors', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], outDir: out, useModel: false });
    const again = await diagnoseLocal({ eventPath: alarmFile('CheckoutErrors', 'ALARM', '2026-03-14T12:00:00Z'), evidencePaths: [], outDir: out, useModel: false });
    expect(again.outcome).toMatchObject({ status: 'diagnosed', created: false, incidentId: first.outcome.incidentId });
    const folded = await diagnoseLocal({ eventPath: alarmFile('CheckoutErrors', 'ALARM', '2026-03-14T12:07:00Z'), evidencePaths: [], outDir: out, useModel: false });
    expect(folded.outcome).toMatchObject({ status: 'folded', incidentId: first.outcome.incidentId, count: 2 });
    expect(folded.render('text')).toMatch(/^Not diagnosed: a repeated ALARM transition, folded into the open incident inc-[0-9a-f]{20} \(2 transitions\)\.\n$/);
  }, 60_000);
});

/**
 * Unit tests of the small pieces the stacks are built from: context parsing, the alarm event
 * pattern, the after-bundling copy of the runbooks and the exact-action grant helper.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../infra/lib/config.js';
import { knowledgeBaseCopyCommand, runbookIndexCommand } from '../../infra/lib/ops-function.js';
import { grantExact, WildcardActionError } from '../../infra/lib/permissions.js';
import { alarmEventPattern } from '../../infra/lib/stateless-stack.js';

const work = mkdtempSync(path.join(tmpdir(), 'ops-infra-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('readConfig', () => {
  it('has defaults for every key', () => {
    const config = configOf({});
    expect(config).toMatchObject({ architecture: 'x86_64', packaging: 'zip', nodeRuntime: 'nodejs22.x', alarmConcurrency: 5, logRetentionDays: 30, alarmNamePrefixes: [], enableApprove: false });
    expect(config.clusterName).toBeUndefined();
  });

  it('reads lists from comma-separated strings (command line) and arrays (cdk.json), numbers from strings', () => {
    expect(configOf({ alarmNamePrefixes: ' prod-, payments-,' }).alarmNamePrefixes).toEqual(['prod-', 'payments-']);
    expect(configOf({ alarmNamePrefixes: ['a-', 'b-'] }).alarmNamePrefixes).toEqual(['a-', 'b-']);
    expect(configOf({ alarmConcurrency: '12', enableApprove: 'true' })).toMatchObject({ alarmConcurrency: 12, enableApprove: true });
    expect(configOf({ browseUrl: 'https://ops.example.com/reports/' }).browseUrl).toBe('https://ops.example.com/reports/');
    expect(configOf({}).browseUrl).toBeUndefined();
  });

  it('names the key and the value it cannot use', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ alarmConcurrency: 1 }, /context "alarmConcurrency": expected an integer in \[2, 1000\], got 1/],
      [{ nodeRuntime: 'nodejs20.x' }, /context "nodeRuntime": expected one of nodejs22.x, nodejs24.x/],
      [{ notificationEmail: 'not-an-address' }, /context "notificationEmail"/],
      [{ alarmTags: 'team' }, /context "alarmTags": "team" is not key=value/],
      [{ knowledgePrefix: 'runbooks' }, /context "knowledgePrefix": .* must be an S3 prefix ending with "\/"/],
      [{ enableApprove: 'yes' }, /context "enableApprove": expected true or false/],
      [{ browseUrl: 'http://ops.example.com/' }, /context "browseUrl": .* must be an https:\/\/ URL/],
      [{ browseUrl: 'https://ops.example.com/?x=1' }, /context "browseUrl"/],
    ];
    for (const [context, message] of cases) {
      expect(() => configOf(context)).toThrow(ConfigError);
      expect(() => configOf(context)).toThrow(message);
    }
  });
});

describe('alarmEventPattern', () => {
  it('leaves out the assistant\'s own alarms when no prefix is configured', () => {
    expect(alarmEventPattern({ alarmNamePrefixes: [] }, 'OpsAssistantService-')).toEqual({
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM', 'OK'] }, alarmName: [{ 'anything-but': { prefix: 'OpsAssistantService-' } }] },
    });
  });

  it('matches the configured prefixes only', () => {
    expect(alarmEventPattern({ alarmNamePrefixes: ['prod-', 'db-'] }, 'X-').detail).toMatchObject({ alarmName: [{ prefix: 'prod-' }, { prefix: 'db-' }] });
  });
});

describe('knowledgeBaseCopyCommand', () => {
  it('copies knowledge-base/ next to the bundle', () => {
    const input = path.join(work, 'repo');
    const output = path.join(work, 'bundle');
    mkdirSync(path.join(input, 'knowledge-base'), { recursive: true });
    mkdirSync(output, { recursive: true });
    writeFileSync(path.join(input, 'knowledge-base', 'oom.md'), '# OOM\n');
    const result = spawnSync('bash', ['-c', knowledgeBaseCopyCommand(input, output)], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(output, 'knowledge-base', 'oom.md'), 'utf8')).toBe('# OOM\n');
  });

  it('fails with a message naming the folder when it is missing', () => {
    const input = path.join(work, 'empty-repo');
    mkdirSync(input, { recursive: true });
    const result = spawnSync('bash', ['-c', knowledgeBaseCopyCommand(input, path.join(work, 'bundle2'))], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(path.join(input, 'knowledge-base'));
    expect(existsSync(path.join(work, 'bundle2', 'knowledge-base'))).toBe(false);
  });
});

describe('grantExact', () => {
  it('refuses wildcard actions', () => {
    const role = new iam.Role(new Stack(new App(), 'S'), 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => grantExact(role, ['s3:Get*'], ['*'])).toThrow(WildcardActionError);
    expect(() => grantExact(role, ['s3:GetObject'], ['arn:aws:s3:::b/k'])).not.toThrow();
  });
});

describe('runbookIndexCommand', () => {
  it('writes the prebuilt runbook index beside the bundle', () => {
    const output = mkdtempSync(path.join(tmpdir(), 'ops-rbi-'));
    const result = spawnSync('bash', ['-c', runbookIndexCommand(path.resolve(import.meta.dirname, '../..'), output)], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const file = JSON.parse(readFileSync(path.join(output, 'runbook-index.json'), 'utf8'));
    expect(file.source.documents).toBeGreaterThan(10);
    rmSync(output, { recursive: true, force: true });
  }, 60_000);
});

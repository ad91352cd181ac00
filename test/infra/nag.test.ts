/**
 * cdk-nag 3 (AwsSolutions) as a validation plugin: synthesis succeeds with no unacknowledged
 * finding for the deployment variants, every acknowledgement carries a reason, and an unsafe
 * resource added to the app does fail synthesis (the plugin is really wired).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledge } from '../../infra/lib/acknowledge.js';
import { buildApp } from '../../infra/lib/app.js';
import { testHandlersDir } from './support.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function nagApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'ops-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return buildApp({ app, handlersDir: testHandlersDir(), nag: true });
}

/** Every acknowledgement recorded in the tree: construct path, rule id, reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  const out: { path: string; id: string; reason: unknown }[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) out.push({ path: node.node.path, id, reason });
    }
  }
  return out;
}

const VARIANTS: Record<string, Record<string, unknown>> = {
  default: {},
  'clusters, approve route, alarm tags and topics, e-mail': {
    clusterName: 'prod-eks',
    clusterNames: 'staging-eks',
    enableApprove: true,
    alarmTags: 'team=payments',
    alarmTopicArns: 'arn:aws:sns:eu-west-1:123456789012:team-alarms',
    notificationEmail: 'oncall@example.com',
  },
  'container image, arm64, nodejs24.x': { packaging: 'image', architecture: 'arm64', nodeRuntime: 'nodejs24.x' },
  'chat: Slack and Teams channels': {
    slackWorkspaceId: 'T0123ABCD',
    slackChannelId: 'C0456EFGH',
    teamsTenantId: '9f8e7d6c-5b4a-3210-fedc-ba9876543210',
    teamsTeamId: '01234567-89ab-cdef-0123-456789abcdef',
    teamsChannelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
  },
};

describe('cdk-nag AwsSolutions', () => {
  const apps: Record<string, App> = {};
  for (const [name, context] of Object.entries(VARIANTS)) {
    it(`synthesizes with no unacknowledged finding: ${name}`, () => {
      const { app, nag } = nagApp(context);
      apps[name] = app;
      expect(nag).toBeDefined();
      expect(() => app.synth()).not.toThrow();
    });
  }

  it('fails synthesis when an unsafe resource is added', () => {
    const { app, data } = nagApp({});
    new s3.Bucket(data, 'UnsafeBucket'); // no TLS policy, no access logs
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it('records a reason with every acknowledgement', () => {
    const app = apps['clusters, approve route, alarm tags and topics, e-mail'] ?? nagApp(VARIANTS['clusters, approve route, alarm tags and topics, e-mail']!).app;
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^(Annotation::)?AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(typeof ack.reason, `${ack.path} ${ack.id}`).toBe('string');
      expect((ack.reason as string).trim().length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(20);
    }
  });

  it('acknowledges only findings that exist (no stale acknowledgement) and leaves none unacknowledged', () => {
    // Record the acknowledgements instead of applying them, synthesize, and compare with the findings.
    const proto = Object.getPrototypeOf(Validations.of(new App())) as { acknowledge: (this: { scope: IConstruct }, ack: { id: string }) => void };
    const original = proto.acknowledge;
    const recorded: { path: string; id: string }[] = [];
    proto.acknowledge = function (this: { scope: IConstruct }, ack: { id: string }) {
      recorded.push({ path: this.scope.node.path, id: ack.id });
    };
    let outdir: string;
    try {
      const built = nagApp(VARIANTS['clusters, approve route, alarm tags and topics, e-mail']!);
      outdir = built.app.outdir;
      expect(() => built.app.synth()).toThrow(/AwsSolutions-IAM5/);
    } finally {
      proto.acknowledge = original;
    }
    const report = JSON.parse(readFileSync(path.join(outdir!, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const findings = report.pluginReports.flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.map((c) => ({ path: c.constructPath, id: v.ruleName }))));
    const covers = (ack: { path: string; id: string }, f: { path: string; id: string }) => ack.id === f.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`));
    expect(recorded.length).toBeGreaterThan(10);
    expect(recorded.filter((ack) => !findings.some((f) => covers(ack, f)))).toEqual([]);
    expect(findings.filter((f) => !recorded.some((ack) => covers(ack, f)))).toEqual([]);
  });

  it('refuses an acknowledgement without a reason', () => {
    const app = new App();
    expect(() => acknowledge(app, 'AwsSolutions-S1', '')).toThrow(/needs a reason/);
    expect(() => acknowledge(app, 'AwsSolutions-S1', 'because')).toThrow(/needs a reason/);
  });
});

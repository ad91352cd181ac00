import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alarmCondition, compose, renderText, wrap, wrapCommand, wrapExact, wrapWords } from '../../functions/core/stages/compose/index.js';
import { makeParts } from './fixtures/diagnosis.js';

describe('renderText', () => {
  it('keeps every line within 80 columns, even with very long evidence', () => {
    const parts = makeParts();
    const long = `E ${'x'.repeat(300)} tail`;
    const d = compose({ ...parts, hypotheses: [{ ...parts.hypotheses[0]!, evidence: [{ text: long, source: 'app.log', line: 7 }] }, parts.hypotheses[1]!] });
    const text = renderText(d);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    // Nothing lost: the long line's characters are all there, across continuation lines.
    const joined = text.split('\n').filter((l) => /^ {4}[>|] /.test(l)).map((l) => l.slice(6)).join('');
    expect(joined).toBe(long);
  });

  it('names the leading hypothesis with confidence, evidence and first action', () => {
    const text = renderText(compose(makeParts()));
    expect(text).toContain('Leading hypothesis: oom_killed (87%)');
    expect(text).toContain('    >     Reason:       OOMKilled');
    expect(text).toContain('$ kubectl set resources deployment/checkout -n prod --limits=memory=1Gi');
    expect(text).toContain('app_crash (8%)');
    expect(text.replace(/\s+/g, ' ')).toContain('(oom_killed) at 87% confidence');
  });
});

describe('alarmCondition', () => {
  it('describes metric, metric-math and composite alarms', () => {
    const base = { name: 'a', type: 'metric' as const, metrics: [{ namespace: 'AWS/Lambda', name: 'Errors', dimensions: {}, stat: 'Sum', periodSeconds: 60 }] };
    expect(alarmCondition({ ...base, comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 5, evaluationPeriods: 3 })).toBe('AWS/Lambda Errors >= 5 (Sum, 60 s, 3 periods)');
    expect(alarmCondition({ ...base, type: 'metric-math', metrics: [{ dimensions: {}, id: 'm1', returnData: false, name: 'Errors' }, { dimensions: {}, id: 'e1', expression: 'm1/m2*100', returnData: true }], comparisonOperator: 'GreaterThanThreshold', threshold: 1 })).toBe('m1/m2*100 > 1');
    expect(alarmCondition({ ...base, type: 'anomaly-detection', comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' })).toBe('AWS/Lambda Errors outside the band (Sum, 60 s)');
    expect(alarmCondition({ name: 'c', type: 'composite', metrics: [], alarmRule: 'ALARM(a) OR ALARM(b)' })).toBe('rule ALARM(a) OR ALARM(b)');
    expect(alarmCondition(undefined)).toBeUndefined();
  });
});

describe('wrap', () => {
  it('wrapCommand breaks between arguments with shell continuations', () => {
    const cmd = 'aws logs filter-log-events --log-group-name /aws/lambda/checkout --filter-pattern "Task timed out" --start-time 1764486000000';
    const lines = wrapCommand(cmd, 60, '      ', '    $ ');
    expect(lines[0]!.startsWith('    $ aws logs')).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    for (const line of lines.slice(0, -1)) expect(line.endsWith(' \\')).toBe(true);
    // Joining the continuation lines gives back the command.
    const joined = lines.map((l, i) => (i === 0 ? l.slice(6) : l.trimStart())).join(' ').replace(/ \\ /g, ' ');
    expect(joined).toBe(cmd);
  });

  it('wrapCommand breaks an argument longer than a line so the shell rejoins it', () => {
    const arn = `arn:aws:iam::123456789012:role/${'very-long-role-name-'.repeat(5)}end`;
    const lines = wrapCommand(`aws iam get-role --role-arn ${arn} --output json`, 40, '    ', '  $ ');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    // What the shell sees: remove "\\\n" (inside words) and " \\\n<indent>" (between words).
    const shell = lines.join('\n').replace(/ \\\n */g, ' ').replace(/\\\n/g, '').slice(4);
    expect(shell).toBe(`aws iam get-role --role-arn ${arn} --output json`);
  });

  it('wrapCommand cuts a long single-quoted argument into adjacent quoted strings', () => {
    const patch = `'${JSON.stringify({ spec: { template: { spec: { imagePullSecrets: [{ name: 'regcred' }] } } } })}'`;
    const lines = wrapCommand(`kubectl patch deployment web -n prod -p ${patch}`, 40, '    ', '  $ ');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    // The shell removes each backslash-newline and concatenates adjacent quoted strings.
    const shell = lines.join('\n').replace(/ \\\n */g, ' ').replace(/\\\n/g, '').slice(4).replace(/''/g, '');
    expect(shell).toBe(`kubectl patch deployment web -n prod -p ${patch}`);
  });

  it('wrapExact keeps whitespace and breaks by position', () => {
    expect(wrapExact('  a  b', 12, '| ', '> ')).toEqual(['>   a  b']);
    expect(wrapExact('0123456789abcdef', 12, '| ', '> ')).toEqual(['> 0123456789', '| abcdef']);
  });

  it('wraps at word boundaries and breaks words longer than the width', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('abcdefghijklmnop', 10)).toEqual(['abcdefghij', 'klmnop']);
    expect(wrap('one two', 20, '  ', '- ')).toEqual(['- one two']);
  });
});

describe.skipIf(!existsSync('/bin/bash'))('wrapCommand under bash', () => {
  it('gives bash the same arguments as the unwrapped command', () => {
    const args = `-p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"regcred"}]}}}}' --role-arn arn:aws:iam::123456789012:role/${'long-role-name-'.repeat(6)}end --x "a b c d e f g h" 'p q r' y\\ z --filter-pattern '"Task timed out"'`;
    const run = (script: string) => execFileSync('/bin/bash', ['-c', script], { encoding: 'utf8' });
    const plain = run(`printf '[%s]' ${args}`);
    for (const width of [24, 40, 80]) {
      const wrapped = wrapCommand(`printf '[%s]' ${args}`, width, '    ', '').join('\n');
      expect(run(wrapped), wrapped).toBe(plain);
    }
  });
});

describe('wrapWords', () => {
  it('breaks quoted evidence at blanks only, keeping every character and the width', () => {
    const line = '2m1s        Warning   OOMKilling  node/ip-10-20-33-41.eu-west-1.compute.internal   Memory cgroup out of memory: Killed process 28417 (java)';
    for (const width of [30, 60, 80]) {
      const lines = wrapWords(line, width, '| ', '> ');
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
      expect(lines.map((l) => l.slice(2)).join('')).toBe(line);
      // where every word fits a line, every break is at a blank
      if (width >= 60) for (const l of lines.slice(0, -1)) expect(l).toMatch(/[ \t]$/);
    }
    expect(wrapWords('aaa bbb ccc ddd', 12, '| ', '> ')).toEqual(['> aaa bbb ', '| ccc ddd']);
    // a word longer than a line is the only thing broken inside
    expect(wrapWords('x'.repeat(30), 20, '| ', '> ')).toEqual([`> ${'x'.repeat(18)}`, `| ${'x'.repeat(12)}`]);
  });
});

describe('wrapCommand comments', () => {
  it('keeps a trailing comment whole on the line of the last argument', () => {
    const cmd = 'kubectl get pvc data-postgres-0 -n prod -o yaml > pvc.yaml  # set spec.storageClassName, then delete and apply';
    const lines = wrapCommand(cmd, 60, '      ', '    $ ');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.trimStart().startsWith('#')).toBe(false);
    expect(lines.at(-1)).toContain('pvc.yaml # set spec.storageClassName, then delete and apply');
    for (const l of lines.slice(0, -1)) expect(l.endsWith(' \\')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../functions/core/model/errors.js';
import { MultilineGrouper, detectHeader, isContinuationLine, parseLogFormat } from '../../../functions/core/stages/analyze/templates/index.js';

describe('parseLogFormat (Loghub <Field> convention)', () => {
  it('splits a line into fields and Content; runs of spaces match any whitespace', () => {
    const format = parseLogFormat('<Date> <Time> <Pid> <Level> <Component>: <Content>');
    const parsed = format.parse('240301 101500 17   INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_1 terminating');
    expect(format.fields).toEqual(['Date', 'Time', 'Pid', 'Level', 'Component', 'Content']);
    expect(parsed).toMatchObject({
      content: 'PacketResponder 1 for block blk_1 terminating',
      fields: { Date: '240301', Time: '101500', Pid: '17', Level: 'INFO', Component: 'dfs.DataNode$PacketResponder' },
      level: 'INFO',
      header: 'log-format',
    });
  });

  it('treats literal text as a regular-expression fragment (optional groups, escaped brackets)', () => {
    const format = parseLogFormat('<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>');
    expect(format.parse('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown')?.content).toBe('check pass; user unknown');
    expect(format.parse('Jun 14 15:16:01 combo kernel: Linux version 2.6')?.fields['Component']).toBe('kernel');
  });

  it('returns undefined for a line of another shape', () => {
    expect(parseLogFormat('\\[<Time>\\] \\[<Level>\\] <Content>').parse('\tat a.B.c(B.java:1)')).toBeUndefined();
  });

  it('rejects a format without <Content> or with an invalid pattern, naming --log-format', () => {
    expect(() => parseLogFormat('<Date> <Time>')).toThrow(InvalidInputError);
    expect(() => parseLogFormat('<Date> ( <Content>')).toThrow(/--log-format/);
    expect(() => parseLogFormat('<A-B> <Content>')).toThrow(/field name/);
  });
});

describe('detectHeader', () => {
  it('reads JSON logs with a message field', () => {
    const p = detectHeader('{"time":"2024-03-01T10:00:00Z","level":"error","msg":"db down","retries":3}');
    expect(p).toMatchObject({ header: 'json', content: 'db down', level: 'error', timestampMs: Date.parse('2024-03-01T10:00:00Z') });
    expect(p.fields['retries']).toBe('3');
  });

  it('keeps Lambda platform lines whole and splits Lambda runtime lines', () => {
    const start = 'START RequestId: 8f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5e Version: $LATEST';
    expect(detectHeader(start)).toMatchObject({ header: 'lambda', content: start, fields: { Event: 'START' } });
    const report = 'REPORT RequestId: 8f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5e\tDuration: 12.3 ms\tBilled Duration: 13 ms';
    expect(detectHeader(report).header).toBe('lambda');
    const runtime = detectHeader('2024-03-01T10:00:00.123Z\t8f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5e\tERROR\tTask timed out');
    expect(runtime).toMatchObject({ header: 'lambda', content: 'Task timed out', level: 'ERROR', fields: { RequestId: '8f5f0d5c-3f7c-4a1e-9d4e-5b1f2a3c4d5e' } });
  });

  it('reads Kubernetes klog lines', () => {
    expect(detectHeader('E0301 10:00:00.123456    1234 reflector.go:138] failed to list *v1.Pod: timeout')).toMatchObject({
      header: 'klog',
      level: 'E',
      content: 'failed to list *v1.Pod: timeout',
      fields: { Source: 'reflector.go:138', Pid: '1234' },
    });
  });

  it('reads ISO timestamps with level, thread and logger', () => {
    const p = detectHeader('2024-03-01 10:00:01,120 WARN [pool-1] com.example.Db: Slow query took 1532 ms');
    expect(p).toMatchObject({ header: 'iso', level: 'WARN', content: 'Slow query took 1532 ms', fields: { Thread: 'pool-1', Component: 'com.example.Db' } });
    expect(p.timestampMs).toBe(Date.parse('2024-03-01T10:00:01.120'));
  });

  it('reads BSD syslog lines', () => {
    expect(detectHeader('Mar  1 10:00:00 web-1 sshd[4242]: Failed password for root from 10.0.0.1 port 22 ssh2')).toMatchObject({
      header: 'syslog',
      content: 'Failed password for root from 10.0.0.1 port 22 ssh2',
      fields: { Host: 'web-1', Component: 'sshd', Pid: '4242' },
    });
  });

  it('treats anything else as the message', () => {
    expect(detectHeader('just a message 42')).toEqual({ header: 'none', content: 'just a message 42', fields: {} });
    expect(detectHeader('{not json').header).toBe('none');
  });
});

describe('MultilineGrouper', () => {
  it('joins a Java stack trace (frames, Caused by, ... more) to its first line', () => {
    const g = new MultilineGrouper();
    const out = [
      'ERROR Request failed',
      'java.lang.IllegalStateException: closed',
      '\tat com.example.Db.query(Db.java:42)',
      'Caused by: java.net.SocketException: reset',
      '\t... 12 more',
      'INFO next',
    ].map((l) => g.push(l));
    const last = g.flush();
    expect(out.filter(Boolean).map((e) => e!.line)).toEqual([1]);
    expect(out[5]!.text).toBe(
      'ERROR Request failed\njava.lang.IllegalStateException: closed\n\tat com.example.Db.query(Db.java:42)\nCaused by: java.net.SocketException: reset\n\t... 12 more',
    );
    expect(last).toEqual({ text: 'INFO next', line: 6 });
  });

  it('uses the log format to decide where events start', () => {
    const format = parseLogFormat('<Date>T<Time>Z <Level> <Content>');
    const g = new MultilineGrouper({ isEventStart: (l) => format.parse(l) !== undefined });
    const events = ['2024-03-01T10:00:00Z ERROR boom', 'java.lang.IllegalStateException: closed', '\tat a.B.c(B.java:1)', '2024-03-01T10:00:01Z INFO ok']
      .map((l) => g.push(l))
      .filter(Boolean);
    expect(events).toEqual([{ text: '2024-03-01T10:00:00Z ERROR boom\njava.lang.IllegalStateException: closed\n\tat a.B.c(B.java:1)', line: 1 }]);
    expect(g.flush()).toEqual({ text: '2024-03-01T10:00:01Z INFO ok', line: 4 });
  });

  it('joins a Python traceback including its final exception line', () => {
    const g = new MultilineGrouper();
    const lines = ['ERROR handler crashed', 'Traceback (most recent call last):', '  File "app.py", line 3, in <module>', 'ValueError: bad value', 'INFO recovered'];
    const events = [...lines.map((l) => g.push(l)), g.flush()].filter(Boolean);
    expect(events.map((e) => e!.text.split('\n').length)).toEqual([4, 1]);
  });

  it('bounds the size of one event', () => {
    const g = new MultilineGrouper({ maxLines: 3 });
    const events = ['first', ' a', ' b', ' c', ' d'].map((l) => g.push(l)).filter(Boolean);
    expect(events).toEqual([{ text: 'first\n a\n b', line: 1 }]);
    expect(isContinuationLine('\tat x.Y.z(Y.java:1)')).toBe(true);
    expect(isContinuationLine('')).toBe(false);
  });
});

describe('detectHeader without the time', () => {
  it('splits the same way and leaves the date unparsed when the caller knows the time already', () => {
    // Prepare
    const line = '2026-11-30T06:01:21.926Z ERROR [main] c.s.App - export failed';
    // Act
    const full = detectHeader(line);
    const quick = detectHeader(line, { timestamp: false });
    // Assess
    expect(full.timestampMs).toBe(Date.parse('2026-11-30T06:01:21.926Z'));
    expect(quick.timestampMs).toBeUndefined();
    expect({ ...quick }).toEqual((({ timestampMs: _, ...rest }) => rest)(full));
  });
});

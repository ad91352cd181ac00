import { describe, expect, it } from 'vitest';
import { redact } from '../../functions/core/stages/compose/redact.js';

describe('redaction of tokens found in the wild', () => {
  it('masks a PEM body line logged on its own, GitHub and Slack tokens', () => {
    expect(redact('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj').text).toBe('[REDACTED:private-key]');
    expect(redact(`auth with ghp_${'a1B2c3D4e5'.repeat(4)} failed`).text).toBe('auth with [REDACTED:github-token] failed');
    expect(redact('posting with xoxb-1234567890-abcdefghij').text).toBe('posting with [REDACTED:slack-token]');
  });

  it('leaves digests, hex ids and ordinary lines alone', () => {
    for (const line of [
      'Image ID: repo@sha256:5f0e2c7a9b1d3e5f7a9c1b3d5e7f9a1c3b5d7e9f1a3c5b7d9e1f3a5c7b9d1e3f',
      'containerd://4b0c7e2f9a1d3c5e7f9b2d4a6c8e0f1a3b5d7c9e1f3a5b7d9c1e3f5a7b9d1c3e',
      '2026-11-30T06:41:03.553Z ERROR export failed for snapshot batch 7781: connection reset by peer',
    ]) expect(redact(line).text).toBe(line);
  });
});

import { renderMarkdown, renderText } from '../../functions/core/stages/compose/index.js';
import { incidentMessage } from '../../functions/core/stages/deliver/index.js';
import { diagnosisFixture } from '../support/diagnosis-fixture.js';

describe('terminal control sequences quoted from evidence', () => {
  it('are shown as \\xNN in text, Markdown and the e-mail body', () => {
    const d = diagnosisFixture();
    const evil = { ...d, hypotheses: [{ ...d.hypotheses[0]!, evidence: [{ text: 'App - \u001b]0;PWNED\u0007java.lang.OutOfMemoryError \u001b[2J', source: 'app.log', line: 3 }] }] };
    for (const out of [renderText(evil), renderMarkdown(evil), incidentMessage(evil).body]) {
      expect(out).not.toMatch(/[\u001b\u0007]/);
      expect(out).toContain('\\x1b]0;PWNED\\x07java.lang.OutOfMemoryError');
    }
  });
});

describe('keys and tokens that reach a report by other paths', () => {
  it('masks a key body line logged after a log prefix', () => {
    expect(redact('2026-11-30T06:40:01Z ERROR b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW').text).toBe('2026-11-30T06:40:01Z ERROR [REDACTED:private-key]');
  });
});

describe('an AWS secret access key written right after its key id', () => {
  it('masks both, whatever separates them', () => {
    for (const sep of [' ', ':', '/', ', ', ' | ']) {
      const out = redact(`auth failed AKIAIOSFODNN7EXAMPLE${sep}wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`).text;
      expect(out).not.toMatch(/wJalrXUtnFEMI|AKIAIOSFODNN7EXAMPLE/);
      expect(out).toMatch(/\[REDACTED:(?:aws-secret-access-key|private-key)\]/);
    }
  });
});

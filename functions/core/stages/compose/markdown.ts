/**
 * The Markdown report an on-call engineer reads: the leading hypothesis, its confidence and the
 * first actions come first; evidence is quoted as code (never rendered as Markdown, so input can
 * neither inject markup nor be reflowed); tables escape their cells.
 *
 * Format: CommonMark 0.31 with GitHub tables (https://spec.commonmark.org, https://github.github.com/gfm/).
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import type { Hypothesis } from '../../model/analysis.js';
import { isCategory } from '../../model/categories.js';
import { categoryLabel } from './labels.js';
import { alarmCondition, evidenceLocation, percent, primaryResource, kubernetesLocation, truncate } from './format.js';
import { showControls } from './format.js';

/**
 * Escapes Markdown inline syntax in plain text (backslash escapes, CommonMark §2.4), line breaks
 * flattened to spaces. Only what can start markup is escaped, so the raw file stays readable:
 * backslash, backtick, `*`, `[`, `]`, `<`, `>`, `|`, `~`, `_` at a word edge (intraword `_`
 * never emphasises, §6.2), and a block marker (`#`, `>`, `+`, `-`, `1.`) at the start.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*[\]<>|~]/g, '\\$&')
    .replace(/(^|[^\p{L}\p{N}\\])_|_(?=[^\p{L}\p{N}]|$)/gu, (m) => m.replace('_', '\\_'))
    .replace(/^(\s*)([#+-]|\d+[.)])(?=\s|$)/, (_m, space: string, marker: string) => `${space}${marker.replace(/([#+\-.)])/, '\\$1')}`);
}

/** Escapes `text` but renders `` `category_id` `` spans (as compose writes them) as code. */
export function escapeMarkdownWithCategories(text: string): string {
  return text
    .split(/(`[a-z][a-z0-9_]*`)/)
    .map((part) => (/^`[a-z][a-z0-9_]*`$/.test(part) && isCategory(part.slice(1, -1)) ? part : escapeMarkdown(part)))
    .join('');
}

/** A table cell: escaped inline text with `|` escaped and line breaks flattened. */
export function tableCell(text: string): string {
  return escapeMarkdown(text).replace(/\s+/g, ' ').trim() || ' ';
}

/** An inline code span that survives backticks in `text` (CommonMark §6.1). */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const runs = flat.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim()) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** An inline code span for a table cell: `|` must be escaped even inside code in GFM tables. */
function codeCell(text: string): string {
  return inlineCode(text).replace(/\|/g, '\\|');
}

/** A fenced code block whose fence is longer than any backtick run inside (CommonMark §4.5). */
export function codeBlock(text: string, lang = ''): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${lang}\n${text.replace(/\r?\n$/, '')}\n${fence}`;
}

function indentBlock(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function evidenceList(h: Hypothesis, max: number): string[] {
  const lines: string[] = [];
  for (const e of h.evidence.slice(0, max)) {
    lines.push(`- ${inlineCode(evidenceLocation(e))}`);
    lines.push('');
    lines.push(indentBlock(codeBlock(e.text, 'text'), 2));
    lines.push('');
  }
  if (h.evidence.length > max) lines.push(`- … and ${h.evidence.length - max} more lines`, '');
  return lines;
}

function actionList(h: Hypothesis): string[] {
  const lines: string[] = [];
  h.actions.forEach((a, i) => {
    lines.push(`${i + 1}. ${escapeMarkdown(a.description)}`);
    if (a.command) {
      lines.push('');
      lines.push(indentBlock(codeBlock(a.command, 'sh'), 3));
    }
    lines.push('');
  });
  return lines;
}

/**
 * Renders the Markdown report.
 *
 * Sections, in order: title and summary; leading hypothesis with confidence; what to do first
 * (actions with commands); evidence (quoted as code blocks with `source:line`); the incident;
 * other hypotheses; findings table; log patterns (NEW / SPIKING marked); runbooks; similar
 * incidents; degraded; redactions; a footer with id, times, schema version and model.
 */
export function renderMarkdown(d: Diagnosis): string {
  const lead = d.hypotheses[0];
  const inc = d.incident;
  const out: string[] = [];
  const resource = primaryResource(inc);
  const where = kubernetesLocation(inc);
  const subject = [resource, where && where !== resource ? `in ${where}` : ''].filter(Boolean).join(' ');
  out.push(`# Diagnosis: ${escapeMarkdown(subject || inc.title || d.id)}`, '');
  if (subject && inc.title) out.push(`${escapeMarkdown(inc.title)} · ${escapeMarkdown(inc.occurredAt)}`, '');
  if (lead) {
    out.push(
      `**Leading hypothesis:** ${escapeMarkdown(categoryLabel(lead.category))} (${inlineCode(lead.category)}) — **${percent(lead.confidence)}** confidence`,
      '',
    );
  }
  out.push(escapeMarkdownWithCategories(d.summary), '');

  if (lead) {
    out.push('## What to do first', '');
    if (lead.actions.length) out.push(...actionList(lead));
    else out.push('No specific action: collect more evidence (pod description, events, logs) and run again.', '');
    out.push('## Evidence', '');
    if (lead.evidence.length) out.push(...evidenceList(lead, 10));
    else out.push('No input line supports this hypothesis directly.', '');
    if (lead.runbooks.length) {
      out.push('Runbooks for this hypothesis:', '');
      for (const r of lead.runbooks) out.push(`- ${escapeMarkdown(r.title)} — ${escapeMarkdown(r.heading)} (${inlineCode(r.path)})`);
      out.push('');
    }
  }

  out.push('## Incident', '', '| field | value |', '|---|---|');
  const row = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') out.push(`| ${k} | ${tableCell(v)} |`);
  };
  row('id', inc.id);
  row('source', inc.source);
  row('severity', inc.severity);
  row('occurred at', inc.occurredAt);
  row('window', `${inc.window.start} – ${inc.window.end}`);
  row('state', inc.previousState ? `${inc.previousState} → ${inc.state ?? ''}` : inc.state);
  row('reason', inc.reason);
  row('alarm', inc.alarm ? `${inc.alarm.name} (${inc.alarm.type})` : undefined);
  row('condition', alarmCondition(inc.alarm));
  row('cluster', inc.cluster);
  row('namespace', inc.namespace);
  row('function', inc.functionName);
  row('region', inc.region);
  row('account', inc.accountId);
  row('question', inc.question);
  for (const r of inc.resources.slice(0, 10)) row('resource', `${r.type} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.arn ? ` (${r.arn})` : ''}`);
  out.push('');
  if (inc.inlineEvidence?.length) {
    out.push('Evidence carried by the event:', '');
    out.push(codeBlock(inc.inlineEvidence.join('\n'), 'text'), '');
  }

  const others = d.hypotheses.slice(1);
  if (others.length) {
    out.push('## Other hypotheses', '', '| # | category | confidence | summary | first evidence |', '|---|---|---|---|---|');
    others.forEach((h, i) => {
      const e = h.evidence[0];
      out.push(
        `| ${i + 2} | ${codeCell(h.category)} | ${percent(h.confidence)} | ${tableCell(h.summary)} | ${e ? codeCell(truncate(e.text, 160)) : ' '} |`,
      );
    });
    out.push('');
  }

  if (d.findings.length) {
    out.push('## Findings', '', '| severity | kind | object | message | analyzer |', '|---|---|---|---|---|');
    for (const f of d.findings) {
      out.push(
        `| ${f.severity} | ${tableCell(f.kind)} | ${codeCell(f.namespace ? `${f.namespace}/${f.name}` : f.name)} | ${tableCell(f.message)} | ${tableCell(f.analyzer)} |`,
      );
    }
    out.push('');
  }

  if (d.logPatterns.length) {
    out.push('## Log patterns', '', '| count | baseline | level | mark | template |', '|---|---|---|---|---|');
    for (const p of d.logPatterns.slice(0, 20)) {
      const marks = [p.isNew ? '**NEW**' : '', p.isSpiking ? '**SPIKING**' : ''].filter(Boolean).join(' ');
      out.push(`| ${p.count} | ${p.baselineCount} | ${p.level ?? ' '} | ${marks || ' '} | ${codeCell(truncate(p.template, 300))} |`);
    }
    if (d.logPatterns.length > 20) out.push('', `… and ${d.logPatterns.length - 20} more patterns in the JSON document.`);
    out.push('');
  }

  const runbooks = new Map<string, { title: string; heading: string; path: string; for: string[] }>();
  for (const h of d.hypotheses) {
    for (const r of h.runbooks) {
      const key = `${r.path}#${r.heading}`;
      const entry = runbooks.get(key) ?? { ...r, for: [] };
      if (!entry.for.includes(h.category)) entry.for.push(h.category);
      runbooks.set(key, entry);
    }
  }
  if (runbooks.size) {
    out.push('## Runbooks', '');
    for (const r of runbooks.values()) {
      out.push(`- **${escapeMarkdown(r.title)}** — ${escapeMarkdown(r.heading)} (${inlineCode(r.path)}; for ${r.for.map(inlineCode).join(', ')})`);
    }
    out.push('');
  }

  if (d.similarIncidents.length) {
    out.push('## Similar incidents', '');
    for (const s of d.similarIncidents) {
      out.push(`- ${inlineCode(s.id)} ${escapeMarkdown(s.createdAt)} — ${escapeMarkdown(s.title)} (${inlineCode(s.category)})${s.key ? ` ${inlineCode(s.key)}` : ''}`);
    }
    out.push('');
  }

  if (d.degraded.length) {
    out.push('## Degraded', '', 'This diagnosis is incomplete:', '');
    for (const g of d.degraded) out.push(`- ${inlineCode(g.component)} (${g.kind}): ${escapeMarkdown(g.reason)}`);
    out.push('');
  }

  if (d.redactions.length) {
    out.push('## Redactions', '');
    out.push(`Secrets were masked before this report was written: ${d.redactions.map((r) => `${inlineCode(r.kind)} × ${r.count}`).join(', ')}.`, '');
  }

  out.push('---', '');
  const footer = [`Diagnosis ${inlineCode(d.id)}`, `created ${escapeMarkdown(d.createdAt)}`, `schema ${d.schemaVersion}`];
  if (d.model) footer.push(`model ${inlineCode(d.model.id)} (sha256 ${inlineCode(d.model.sha256.slice(0, 12))})`);
  out.push(`${footer.join(' · ')}`, '');
  return showControls(out.join('\n'));
}

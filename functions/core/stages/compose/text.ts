/**
 * The plain-text report printed on a terminal, laid out for the on-call engineer's first screen:
 * incident, leading hypothesis, what to do first, then why (summary and evidence) and the rest.
 * Every line fits `width` columns (the terminal's; 80 by default): prose wraps between words,
 * evidence lines are shown whole, broken only at their blanks, with a `|` marker on each
 * continuation line, and commands stay pasteable ({@link wrapCommand}).
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import { categoryLabel } from './labels.js';
import { evidenceLocation, percent, primaryResource, kubernetesLocation, plainText, truncate, wrap, wrapCommand, wrapWords } from './format.js';
import { showControls } from './format.js';

/** Default width of {@link renderText}, columns (a terminal's, when it is not known). */
export const TEXT_WIDTH = 80;

/**
 * How lines are decorated (ANSI colours on a terminal that takes them). Each function gets one
 * whole, already wrapped line, so decoration never changes where lines break. Default: none.
 */
export interface TextStyle {
  readonly heading: (line: string) => string;
  readonly lead: (line: string) => string;
  readonly command: (line: string) => string;
  readonly dim: (line: string) => string;
}

const PLAIN: TextStyle = { heading: (s) => s, lead: (s) => s, command: (s) => s, dim: (s) => s };

/** Most lines of {@link renderSummary}. */
export const SUMMARY_MAX_LINES = 15;

/**
 * Renders the terminal report: incident, leading hypothesis with confidence, the actions with
 * their commands, the summary, up to 5 evidence lines, other hypotheses, counts of findings and
 * patterns (new/spiking named), runbooks, degradations and redactions.
 */
export function renderText(d: Diagnosis, width = TEXT_WIDTH, style: TextStyle = PLAIN): string {
  const out: string[] = [];
  // Controls in quoted text are made visible (showControls) before wrapping and decorating, so
  // only the style's own escape sequences reach the terminal.
  const add = (text: string, indent = '', first = indent, decorate: (s: string) => string = (s) => s) =>
    out.push(...wrap(showControls(text), width, indent, first).map(decorate));
  const heading = (text: string) => out.push('', style.heading(text));
  const inc = d.incident;
  const lead = d.hypotheses[0];
  const resource = primaryResource(inc);
  const where = kubernetesLocation(inc);

  add(`Diagnosis ${d.id}`, '', '', style.heading);
  add(`${inc.title}${inc.state ? ` [${inc.state}]` : ''} (${inc.severity})`, '           ', 'Incident:  ');
  if (resource || where) add([resource, where].filter(Boolean).join(' in '), '           ', 'Resource:  ');
  add(inc.occurredAt, '           ', 'When:      ');
  if (inc.reason) add(inc.reason, '           ', 'Reason:    ');
  out.push('');
  if (lead) add(`Leading hypothesis: ${lead.category} (${percent(lead.confidence)}) - ${categoryLabel(lead.category)}`, '  ', '', style.lead);
  if (lead?.actions.length) {
    heading('What to do first:');
    actionLines(lead.actions, lead.actions.length, width, style, out);
  }
  heading('Why:');
  add(plainText(d.summary), '  ');
  if (lead?.evidence.length) {
    heading('Evidence:');
    for (const e of lead.evidence.slice(0, 5)) {
      out.push(`  ${showControls(evidenceLocation(e))}`); // a path:line is never broken, so it can be copied
      out.push(...wrapWords(showControls(e.text), width, '    | ', '    > '));
    }
    if (lead.evidence.length > 5) add(`... and ${lead.evidence.length - 5} more lines`, '  ');
  }
  const others = d.hypotheses.slice(1, 5);
  if (others.length) {
    heading('Other hypotheses:');
    for (const h of others) add(`${h.category} (${percent(h.confidence)}): ${h.summary}`, '    ', '  - ');
  }
  const newPatterns = d.logPatterns.filter((p) => p.isNew).length;
  const spiking = d.logPatterns.filter((p) => p.isSpiking).length;
  out.push('');
  add(
    `Findings: ${d.findings.length} (${d.findings.filter((f) => f.severity === 'critical').length} critical). ` +
      `Log patterns: ${d.logPatterns.length} (${newPatterns} new, ${spiking} spiking).`,
  );
  const runbooks = [...new Set(d.hypotheses.flatMap((h) => h.runbooks.map((r) => `${r.title} - ${r.heading} (${r.path})`)))];
  if (runbooks.length) {
    heading('Runbooks:');
    for (const r of runbooks.slice(0, 5)) add(r, '    ', '  - ');
  }
  if (d.degraded.length) {
    heading('Degraded (diagnosis is incomplete):');
    for (const g of d.degraded) add(`${g.component} (${g.kind}): ${g.reason}`, '    ', '  - ', style.dim);
  }
  if (d.redactions.length) {
    out.push('');
    add(`Redacted: ${d.redactions.map((r) => `${r.kind} x${r.count}`).join(', ')}`, '', '', style.dim);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The short report (`diagnose --summary`): the leading hypothesis, its strongest evidence lines
 * and its first actions with their commands, in at most {@link SUMMARY_MAX_LINES} lines. Evidence
 * lines are cut to one line each, ending with `…` when cut; actions come before any cut.
 */
export function renderSummary(d: Diagnosis, width = TEXT_WIDTH, style: TextStyle = PLAIN): string {
  const lead = d.hypotheses[0];
  const resource = [primaryResource(d.incident), kubernetesLocation(d.incident)].filter(Boolean).join(' in ');
  const head = lead
    ? `${lead.category} (${percent(lead.confidence)}) - ${categoryLabel(lead.category)}${resource ? `: ${resource}` : ''}`
    : `No hypothesis${resource ? `: ${resource}` : ''}`;
  const out: string[] = wrap(showControls(head), width, '  ').slice(0, 2).map(style.lead);
  const actions: string[] = [];
  if (lead?.actions.length) {
    actions.push(style.heading('What to do first:'));
    actionLines(lead.actions, 2, width, style, actions);
  }
  // Each evidence line: where it is, then its text on one line, ending with … when cut.
  const evidence: string[][] = (lead?.evidence.slice(0, 3) ?? []).map((e) => {
    const text = `    > ${showControls(e.text.trim())}`;
    return [`  ${showControls(evidenceLocation(e))}`, text.length > width ? truncate(text, width, '…') : text];
  });
  // The evidence fills what the lead and actions leave (its heading included), at least one line of it.
  const room = Math.max(1, Math.floor((SUMMARY_MAX_LINES - out.length - actions.length - 1) / 2));
  if (evidence.length) out.push(style.heading('Evidence:'), ...evidence.slice(0, room).flat());
  out.push(...actions);
  return `${out.slice(0, SUMMARY_MAX_LINES).join('\n')}\n`;
}

/** The first `count` actions, numbered, each with its command on the lines below it. */
function actionLines(actions: Diagnosis['hypotheses'][number]['actions'], count: number, width: number, style: TextStyle, out: string[]): void {
  actions.slice(0, count).forEach((a, i) => {
    const n = `${i + 1}. `;
    out.push(...wrap(showControls(a.description), width, ' '.repeat(2 + n.length), `  ${n}`));
    if (a.command) out.push(...wrapCommand(showControls(a.command), width, `${' '.repeat(2 + n.length)}    `, `${' '.repeat(2 + n.length)}$ `).map(style.command));
  });
}

/**
 * The plain-text summary printed on a terminal: every line at most 80 columns (long evidence
 * lines are broken with a continuation indent, never cut silently).
 */
import type { Diagnosis } from '../../model/diagnosis.js';
import { categoryLabel } from './labels.js';
import { evidenceLocation, percent, primaryResource, kubernetesLocation, plainText, wrap, wrapCommand, wrapExact } from './format.js';
import { showControls } from './format.js';

/** Terminal width of {@link renderText}, columns. */
export const TEXT_WIDTH = 80;

/**
 * Renders the terminal summary: incident, leading hypothesis with confidence, summary, up to 5
 * evidence lines, actions with commands, other hypotheses, counts of findings and patterns
 * (new/spiking named), runbooks, degradations and redactions.
 */
export function renderText(d: Diagnosis, width = TEXT_WIDTH): string {
  const out: string[] = [];
  const add = (text: string, indent = '', first = indent) => out.push(...wrap(text, width, indent, first));
  const inc = d.incident;
  const lead = d.hypotheses[0];
  const resource = primaryResource(inc);
  const where = kubernetesLocation(inc);

  add(`Diagnosis ${d.id}`);
  add(`${inc.title}${inc.state ? ` [${inc.state}]` : ''} (${inc.severity})`, '           ', 'Incident:  ');
  if (resource || where) add([resource, where].filter(Boolean).join(' in '), '           ', 'Resource:  ');
  add(inc.occurredAt, '           ', 'When:      ');
  if (inc.reason) add(inc.reason, '           ', 'Reason:    ');
  out.push('');
  if (lead) {
    add(`Leading hypothesis: ${lead.category} (${percent(lead.confidence)}) - ${categoryLabel(lead.category)}`, '  ', '');
  }
  add(plainText(d.summary), '  ');
  if (lead?.evidence.length) {
    out.push('', 'Evidence:');
    for (const e of lead.evidence.slice(0, 5)) {
      out.push(`  ${evidenceLocation(e)}`); // a path:line is never broken, so it can be copied
      out.push(...wrapExact(e.text, width, '    | ', '    > '));
    }
    if (lead.evidence.length > 5) add(`... and ${lead.evidence.length - 5} more lines`, '  ');
  }
  if (lead?.actions.length) {
    out.push('', 'What to do first:');
    lead.actions.forEach((a, i) => {
      const n = `${i + 1}. `;
      add(a.description, ' '.repeat(2 + n.length), `  ${n}`);
      if (a.command) out.push(...wrapCommand(a.command, width, `${' '.repeat(2 + n.length)}    `, `${' '.repeat(2 + n.length)}$ `));
    });
  }
  const others = d.hypotheses.slice(1, 5);
  if (others.length) {
    out.push('', 'Other hypotheses:');
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
    out.push('', 'Runbooks:');
    for (const r of runbooks.slice(0, 5)) add(r, '    ', '  - ');
  }
  if (d.degraded.length) {
    out.push('', 'Degraded (diagnosis is incomplete):');
    for (const g of d.degraded) add(`${g.component} (${g.kind}): ${g.reason}`, '    ', '  - ');
  }
  if (d.redactions.length) {
    out.push('');
    add(`Redacted: ${d.redactions.map((r) => `${r.kind} x${r.count}`).join(', ')}`);
  }
  return showControls(`${out.join('\n')}\n`);
}

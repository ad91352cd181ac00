/**
 * The HTML report of a diagnosis: one self-contained file (inline CSS and SVG, no script, no
 * external request) that an on-call engineer understands in ten seconds. Leading hypothesis,
 * confidence and actions first; then evidence, the alarm's metric chart, the log-pattern
 * timeline, Kubernetes findings, other hypotheses, runbooks, and what could not be collected.
 *
 * Every string in a diagnosis has already been redacted by the compose stage; this module only
 * escapes it.
 */
import type { Diagnosis } from '../../../model/diagnosis.js';
import type { Hypothesis, LogPattern, RunbookRef } from '../../../model/analysis.js';
import type { EvidenceRef } from '../../../model/evidence.js';
import { escapeXml as esc, lineChart, PALETTE, type ChartSeries } from './svg-chart.js';
import { kubernetesLocation, primaryResource } from '../format.js';
import { categoryLabel } from '../labels.js';

/** Options of {@link renderHtml}. */
export interface HtmlReportOptions {
  /**
   * Where a runbook can be opened (the composition root knows: a `file://` URL of the Markdown
   * file locally, the team's runbook site when configured); undefined: no outside link.
   */
  readonly runbookHref?: (ref: RunbookRef) => string | undefined;
  /**
   * The cited passage's Markdown (the runbook section under `ref.heading`), shown in the report
   * so the link works offline and from S3; undefined: only the outside link.
   */
  readonly runbookPassage?: (ref: RunbookRef) => string | undefined;
  /** How many log patterns the timeline draws; default 5 (new and spiking ones first). */
  readonly timelinePatterns?: number;
}

const CSS = `
:root{--fg:#1b1f24;--muted:#4b5563;--bg:#fff;--line:#d0d7de;--accent:#0b5cad;--crit:#b00020;--warn:#8a4b00;--ok:#1a7f37;--code:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:60rem;margin:0 auto;padding:1rem}
header.incident{border-bottom:2px solid var(--line);padding-bottom:.5rem;margin-bottom:1rem}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;border:1px solid currentColor}
.sev-critical,.sev-high{color:var(--crit)} .sev-medium{color:var(--warn)} .sev-low,.sev-info{color:var(--muted)}
section.lead{background:#f3f8ff;border:1px solid #b6d4fe;border-radius:.5rem;padding:1rem}
.lead .category{font-size:1.35rem;font-weight:700;margin:0;overflow-wrap:anywhere}
.category-id{display:inline-block;vertical-align:middle;font-size:.8rem;font-weight:600;padding:.05rem .45rem;border-radius:.3rem;background:#e7eef8;color:#1f3b63;border:1px solid #b6d4fe;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.confidence{display:flex;align-items:center;gap:.6rem;margin:.4rem 0}
.meter{flex:0 0 12rem;height:.7rem;background:#e5e7eb;border-radius:.35rem;overflow:hidden}
.meter span{display:block;height:100%;background:var(--accent)}
ol.actions{padding-left:1.3rem} ol.actions li{margin:.4rem 0}
pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:.4rem;padding:.5rem .7rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:.3rem 0}
ul.evidence{list-style:none;padding:0}
ul.evidence li{margin:.35rem 0}
mark.quote{display:block;background:#fff4c2;border-left:4px solid #d4a000;padding:.3rem .6rem;white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;color:var(--fg)}
.src{color:var(--muted);font-size:.8rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{font-size:.75rem;font-weight:700;padding:0 .35rem;border-radius:.25rem;color:#fff;background:var(--crit)}
.tag.spike{background:var(--warn)}
figure{margin:.5rem 0} figure.steady svg.chart{max-height:10rem} figcaption{font-size:.85rem;color:var(--muted)}
ul.legend{list-style:none;padding:0} ul.legend li{margin:.25rem 0;overflow-wrap:anywhere} ul.legend li.muted{color:var(--muted);font-size:.85rem} ul.legend li.muted code{color:var(--muted)}
ul.legend li.emphasis{font-weight:600}
ul.runbooks li{margin:.4rem 0} .runbook-passage{border-left:3px solid var(--line);padding:.2rem .7rem;margin:.3rem 0 .8rem}
.runbook-passage pre{white-space:pre-wrap}
svg.chart{width:100%;height:auto;max-height:18rem}
details{margin:.3rem 0} summary{cursor:pointer;color:var(--accent)}
.table-wrap{overflow-x:auto}
footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
@media (max-width:40rem){body{font-size:15px}.meter{flex-basis:7rem}h1{font-size:1.25rem}}
@media print{body{font-size:11pt}main{max-width:none}section.lead{border-color:#999;background:none}details{display:block}details>*{display:block}a{color:inherit}pre,mark.quote{white-space:pre-wrap}}
`;

function pct(confidence: number): string {
  return `${Math.round(Math.max(0, Math.min(1, confidence)) * 100)}%`;
}

function evidenceItem(e: EvidenceRef): string {
  const where = `${e.source}${e.line !== undefined ? `:${e.line}` : ''}`;
  return `<li><mark class="quote">${esc(e.text)}</mark><span class="src">${esc(where)}</span></li>`;
}

function actions(h: Hypothesis): string {
  if (h.actions.length === 0) return '<p>No specific action is known for this category; start with the evidence below.</p>';
  return `<ol class="actions">${h.actions
    .map((a) => `<li>${esc(a.description)}${a.command ? `<pre><code>${esc(a.command)}</code></pre>` : ''}</li>`)
    .join('')}</ol>`;
}

/**
 * The runbooks the hypotheses cite, each a link: to its passage, shown in the report itself (so the
 * link works from S3, the local server or a saved file), and to the runbook where it can be opened
 * ({@link HtmlReportOptions.runbookHref}). A runbook with neither is still listed, by path.
 */
function runbookList(d: Diagnosis, options: HtmlReportOptions): string {
  const seen = new Set<string>();
  const refs = d.hypotheses.flatMap((h) => h.runbooks).filter((r) => {
    const key = `${r.path}#${r.heading}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (refs.length === 0) return '';
  const items = refs.map((r, i) => {
    const id = `runbook-${i + 1}`;
    const href = options.runbookHref?.(r);
    const passage = options.runbookPassage?.(r)?.trim();
    const label = `${esc(r.title)} — ${esc(r.heading)}`;
    const title = passage ? `<a href="#${id}">${label}</a>` : href ? `<a href="${esc(href)}">${label}</a>` : label;
    const open = href ? ` <a class="src" href="${esc(href)}" rel="noopener">open ${esc(r.path)}</a>` : ` <span class="src">${esc(r.path)}</span>`;
    // Closed by default; following the link opens it (the target is inside the details element).
    const body = passage ? `<details class="runbook-passage"><summary>Passage</summary><pre id="${id}">${esc(passage)}</pre></details>` : '';
    return `<li>${title}${open}${body}</li>`;
  });
  return `<section aria-labelledby="h-runbooks"><h2 id="h-runbooks">Runbooks</h2><ul class="runbooks">${items.join('')}</ul></section>`;
}

function metricSection(d: Diagnosis): string {
  const series = d.metrics ?? [];
  const drawable = series.filter((s) => s.timestamps.length > 0);
  if (drawable.length === 0) return '';
  const threshold = d.incident.alarm?.threshold ?? drawable.find((s) => s.threshold !== undefined)?.threshold;
  const occurred = Date.parse(d.incident.occurredAt);
  const chartSeries: ChartSeries[] = drawable.map((s) => ({ label: s.label, xs: s.timestamps, ys: s.values }));
  const name = d.incident.alarm?.name ?? d.incident.title;
  const peak = Math.max(...drawable.flatMap((s) => s.values));
  const svg = lineChart({
    title: `Metric of alarm ${name}`,
    description: `${drawable.map((s) => s.label).join(', ')} over the incident window; peak ${peak}${threshold !== undefined ? `, threshold ${threshold}` : ''}; the alarm fired at ${d.incident.occurredAt}.`,
    series: chartSeries,
    threshold: threshold !== undefined ? { value: threshold, label: `threshold ${threshold}` } : undefined,
    marker: Number.isFinite(occurred) ? { x: occurred, label: 'alarm' } : undefined,
    yUnit: drawable[0]!.unit,
  });
  const rows = drawable.flatMap((s) => s.timestamps.map((t, i) => `<tr><td>${esc(s.label)}</td><td>${new Date(t).toISOString()}</td><td class="num">${s.values[i]}</td></tr>`));
  return `<section aria-labelledby="h-metric"><h2 id="h-metric">Alarm metric</h2><figure>${svg}<figcaption>${esc(drawable.map((s) => s.label).join(', '))}; dashed red line: threshold; purple line: alarm time (UTC).</figcaption></figure>
<details><summary>Data table</summary><div class="table-wrap"><table><thead><tr><th scope="col">Series</th><th scope="col">Time (UTC)</th><th scope="col">Value</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details></section>`;
}

/** Muted colour of steady patterns in the timeline (grey, 3:1 on white). */
const STEADY_COLOR = '#8c959f';

/**
 * The log-pattern timeline. The new and spiking patterns (what the eye should find) get the
 * first chart, on their own scale, drawn thick and coloured; the steady ones follow in a smaller
 * chart, thin, grey and dashed, for comparison (one shared scale would flatten a spike of 20
 * under a steady 150). The legend lists the notable patterns first. The patterns drawn are the
 * new and spiking ones, then the most frequent steady ones, up to {@link HtmlReportOptions.timelinePatterns}.
 */
function timelineSection(d: Diagnosis, options: HtmlReportOptions): string {
  const withTimeline = d.logPatterns.filter((p) => p.timeline && p.timeline.counts.length > 0);
  const notable = (p: LogPattern) => p.isNew || p.isSpiking;
  const top = [...withTimeline.filter(notable), ...withTimeline.filter((p) => !notable(p))].slice(0, options.timelinePatterns ?? 5);
  if (top.length === 0) return '';
  let colour = 0;
  const drawn = top.map((p) => ({ pattern: p, emphasis: notable(p), color: notable(p) ? PALETTE[colour++ % PALETTE.length]! : STEADY_COLOR }));
  const occurred = Date.parse(d.incident.occurredAt);
  const bucketS = Math.round(top[0]!.timeline!.bucketMs / 1000);
  const chart = (group: typeof drawn, title: string, description: string, height?: number) => lineChart({
    title,
    description,
    series: group.map(({ pattern: p, emphasis, color }) => ({
      label: `${p.isNew ? '[new] ' : ''}${p.isSpiking ? '[spike] ' : ''}${p.template.slice(0, 80)}`,
      xs: p.timeline!.counts.map((_, j) => p.timeline!.start + j * p.timeline!.bucketMs),
      ys: p.timeline!.counts,
      color,
      dashed: !emphasis,
      emphasis: emphasis ? 'strong' : 'muted',
    })),
    marker: Number.isFinite(occurred) ? { x: occurred, label: 'alarm' } : undefined,
    yUnit: 'events per bucket',
    ...(height ? { height } : {}),
  });
  const strong = drawn.filter((x) => x.emphasis);
  const steady = drawn.filter((x) => !x.emphasis);
  const figures: string[] = [];
  if (strong.length > 0) {
    figures.push(`<figure class="notable">${chart(strong, 'New and spiking log patterns over time', `Counts per ${bucketS} s bucket of ${strong.length} log templates that are new or spiking against the baseline.`)}<figcaption>New or spiking patterns (thick coloured lines), on their own scale.</figcaption></figure>`);
  }
  if (steady.length > 0) {
    figures.push(`<figure class="steady">${chart(steady, 'Steady log patterns over time', `Counts per ${bucketS} s bucket of ${steady.length} frequent log templates that are neither new nor spiking.`, strong.length > 0 ? 150 : undefined)}<figcaption>${strong.length > 0 ? 'Steady patterns, for comparison (thin grey dashed lines).' : 'No pattern is new or spiking against the baseline; all lines are steady patterns.'}</figcaption></figure>`);
  }
  const legend = drawn
    .map(({ pattern: p, emphasis, color }) => `<li class="${emphasis ? 'emphasis' : 'muted'}"><span aria-hidden="true" style="color:${color}">${emphasis ? '■' : '┄'}</span> ${patternTags(p)}<code>${esc(p.template)}</code></li>`)
    .join('');
  return `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Log pattern timeline</h2>${figures.join('')}<ul class="legend">${legend}</ul></section>`;
}

function patternTags(p: LogPattern): string {
  return `${p.isNew ? '<span class="tag">NEW</span> ' : ''}${p.isSpiking ? '<span class="tag spike">SPIKE</span> ' : ''}`;
}

function patternsTable(d: Diagnosis): string {
  if (d.logPatterns.length === 0) return '';
  const rows = d.logPatterns.slice(0, 15).map((p) => `<tr><td class="num">${p.count}</td><td class="num">${p.baselineCount}</td><td>${esc(p.level ?? '')}</td><td>${patternTags(p)}<code>${esc(p.template)}</code></td></tr>`);
  return `<section aria-labelledby="h-patterns"><h2 id="h-patterns">Log patterns</h2><div class="table-wrap"><table><thead><tr><th scope="col">Count</th><th scope="col">Baseline</th><th scope="col">Level</th><th scope="col">Template</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function findingsTable(d: Diagnosis): string {
  if (d.findings.length === 0) return '';
  const rows = d.findings.map((f) => `<tr><td><span class="badge sev-${f.severity === 'critical' ? 'critical' : f.severity === 'warning' ? 'medium' : 'info'}">${esc(f.severity)}</span></td><td>${esc(f.kind)}</td><td>${esc(f.namespace ? `${f.namespace}/${f.name}` : f.name)}</td><td>${esc(f.message)}</td><td>${esc(f.category ?? '')}</td></tr>`);
  return `<section aria-labelledby="h-findings"><h2 id="h-findings">Kubernetes findings</h2><div class="table-wrap"><table><thead><tr><th scope="col">Severity</th><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Finding</th><th scope="col">Category</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function otherHypotheses(d: Diagnosis): string {
  const rest = d.hypotheses.slice(1);
  if (rest.length === 0) return '';
  const rows = rest.map((h) => `<tr><td>${esc(categoryLabel(h.category))}<br><code class="category-id">${esc(h.category)}</code></td><td class="num">${pct(h.confidence)}</td><td>${esc(h.summary)}${h.evidence[0] ? `<br><span class="src">${esc(h.evidence[0].text)}</span>` : ''}</td></tr>`);
  return `<section aria-labelledby="h-other"><h2 id="h-other">Other hypotheses</h2><div class="table-wrap"><table><thead><tr><th scope="col">Category</th><th scope="col">Confidence</th><th scope="col">Why</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function degradedSection(d: Diagnosis): string {
  if (d.degraded.length === 0) return '';
  const items = d.degraded.map((g) => `<li><strong>${esc(g.component)}</strong> (${esc(g.kind)}): ${esc(g.reason)}</li>`);
  return `<section aria-labelledby="h-degraded"><h2 id="h-degraded">What could not be collected or analyzed</h2><ul>${items.join('')}</ul></section>`;
}

/** The resource line of the header, worded as the text and Markdown reports word it. */
function resourceLine(d: Diagnosis): string {
  const resource = primaryResource(d.incident);
  const where = kubernetesLocation(d.incident);
  return [resource, where && where !== resource ? `in ${where}` : undefined].filter(Boolean).join(' ') || d.incident.title;
}

/**
 * Renders the diagnosis as one self-contained HTML document (UTF-8, no external resources).
 * @example
 * await writeFile('report.html', renderHtml(diagnosis));
 */
export function renderHtml(d: Diagnosis, options: HtmlReportOptions = {}): string {
  const lead = d.hypotheses[0];
  const i = d.incident;
  const title = `${lead ? categoryLabel(lead.category) : 'No hypothesis'} — ${i.title}`;
  const leadSection = lead
    ? `<section class="lead" aria-labelledby="h-lead"><h2 id="h-lead">Leading hypothesis</h2>
<p class="category"><span class="category-title">${esc(categoryLabel(lead.category))}</span> <code class="category-id" title="category id">${esc(lead.category)}</code></p>
<div class="confidence"><span>Confidence <strong>${pct(lead.confidence)}</strong></span><span class="meter" role="img" aria-label="confidence ${pct(lead.confidence)}"><span style="width:${pct(lead.confidence)}"></span></span></div>
<p>${esc(lead.summary)}</p>
<h3>What to do</h3>${actions(lead)}
<h3>Evidence</h3>${lead.evidence.length ? `<ul class="evidence">${lead.evidence.map(evidenceItem).join('')}</ul>` : '<p>No input line supports a category; the evidence is thin.</p>'}
</section>`
    : '<section class="lead"><h2>No hypothesis</h2></section>';

  const reason = i.reason ? `<p class="meta">${esc(i.reason)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<header class="incident"><p class="meta"><span class="badge sev-${esc(i.severity)}">${esc(i.severity)}</span> ${esc(i.source)} · ${esc(i.occurredAt)}${i.state ? ` · ${esc(i.state)}` : ''}</p>
<h1>${esc(i.title)}</h1><p class="meta">Resource: <strong>${esc(resourceLine(d))}</strong> · Diagnosis <code>${esc(d.id)}</code> · ${esc(d.createdAt)}</p>${reason}</header>
${leadSection}
${metricSection(d)}
${timelineSection(d, options)}
${findingsTable(d)}
${otherHypotheses(d)}
${patternsTable(d)}
${runbookList(d, options)}
${degradedSection(d)}
<footer>ops-assistant · schema ${esc(d.schemaVersion)}${d.model ? ` · model ${esc(d.model.id)} (${esc(d.model.sha256.slice(0, 12))})` : ' · rules only'}${d.redactions.length ? ` · redacted: ${esc(d.redactions.map((r) => `${r.kind}×${r.count}`).join(', '))}` : ''}</footer>
</main></body></html>
`;
}

/**
 * The browse page: a list of diagnoses, newest first, with filters by category and resource and
 * a free-text search. Rendered on the server from a listing (works without JavaScript: the form
 * submits as a GET with `category`, `resource`, `q`); a small inline script also filters rows as
 * you type when JavaScript is on. The same page can be written as a static file beside the store
 * (`ops-assistant page`), with links relative to the store layout, and hosted from the bucket.
 */
import type { DiagnosisIndexEntry } from '../../../ports/diagnosis-store.port.js';
import { CATEGORIES } from '../../../model/categories.js';
import { escapeXml as esc } from './svg-chart.js';

export interface BrowseFilters {
  readonly category?: string;
  readonly resource?: string;
  /** Free text matched against title, id, category and resources (case-insensitive). */
  readonly q?: string;
}

export interface BrowsePageOptions {
  /** Link target of an entry's HTML report; default `/v1/diagnoses/<id>?format=html`. */
  readonly reportHref?: (entry: DiagnosisIndexEntry) => string;
  /** Link to the next page, when the listing has one. */
  readonly nextHref?: string;
}

/** True when `entry` passes every filter. */
export function matchesFilters(entry: DiagnosisIndexEntry, filters: BrowseFilters): boolean {
  if (filters.category && entry.category !== filters.category) return false;
  if (filters.resource && !entry.resources.some((r) => r.toLowerCase().includes(filters.resource!.toLowerCase()))) return false;
  if (filters.q) {
    const hay = [entry.title, entry.id, entry.category, ...entry.resources].join(' ').toLowerCase();
    if (!filters.q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w))) return false;
  }
  return true;
}

const CSS = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}
form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:0 0 1rem}
label{display:flex;flex-direction:column;font-size:.85rem;color:#4b5563}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid #8c959f;border-radius:.3rem}
button{background:#0b5cad;color:#fff;border-color:#0b5cad;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
a{color:#0b5cad}
.sev-critical,.sev-high{color:#b00020;font-weight:600}.sev-medium{color:#8a4b00}
.empty{color:#4b5563}
.wrap{overflow-x:auto}
@media (max-width:40rem){td.hide-sm,th.hide-sm{display:none}}
`;

/**
 * Renders the browse page for `entries` (already newest first), applying `filters`.
 */
export function renderBrowsePage(entries: readonly DiagnosisIndexEntry[], filters: BrowseFilters = {}, options: BrowsePageOptions = {}): string {
  const href = options.reportHref ?? ((e: DiagnosisIndexEntry) => `/v1/diagnoses/${encodeURIComponent(e.id)}?format=html`);
  const shown = entries.filter((e) => matchesFilters(e, filters));
  const categories = [...new Set([...entries.map((e) => e.category), ...CATEGORIES])];
  const rows = shown.map((e) => `<tr data-search="${esc([e.title, e.id, e.category, ...e.resources].join(' ').toLowerCase())}" data-category="${esc(e.category)}">
<td>${esc(e.createdAt.replace('T', ' ').slice(0, 16))}</td><td><a href="${esc(href(e))}">${esc(e.title)}</a><br><code>${esc(e.id)}</code></td>
<td>${esc(e.category)}</td><td class="num">${Math.round(e.confidence * 100)}%</td><td class="sev-${esc(e.severity)} hide-sm">${esc(e.severity)}</td><td class="hide-sm">${esc(e.resources.join(', '))}</td></tr>`);
  const option = (c: string) => `<option value="${esc(c)}"${filters.category === c ? ' selected' : ''}>${esc(c)}</option>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Diagnoses — ops-assistant</title><style>${CSS}</style></head>
<body><main>
<h1>Diagnoses</h1>
<form method="get" role="search" aria-label="Filter diagnoses">
<label>Search<input type="search" name="q" value="${esc(filters.q ?? '')}" placeholder="title, id, resource" id="q"></label>
<label>Category<select name="category" id="category"><option value="">all</option>${categories.map(option).join('')}</select></label>
<label>Resource<input type="text" name="resource" value="${esc(filters.resource ?? '')}" placeholder="e.g. checkout"></label>
<button type="submit">Filter</button>
</form>
<p class="count" aria-live="polite"><span id="shown">${shown.length}</span> of ${entries.length} diagnoses</p>
<div class="wrap"><table><thead><tr><th scope="col">Created (UTC)</th><th scope="col">Incident</th><th scope="col">Category</th><th scope="col">Confidence</th><th scope="col" class="hide-sm">Severity</th><th scope="col" class="hide-sm">Resources</th></tr></thead>
<tbody id="rows">${rows.join('')}</tbody></table></div>
${shown.length === 0 ? '<p class="empty">No diagnosis matches these filters.</p>' : ''}
${options.nextHref ? `<p><a href="${esc(options.nextHref)}" rel="next">Older diagnoses →</a></p>` : ''}
<script>
(function(){var q=document.getElementById('q'),c=document.getElementById('category'),rows=document.querySelectorAll('#rows tr'),n=document.getElementById('shown');
function f(){var w=q.value.toLowerCase().split(/\\s+/).filter(Boolean),cat=c.value,k=0;rows.forEach(function(r){var ok=(!cat||r.dataset.category===cat)&&w.every(function(x){return r.dataset.search.indexOf(x)>=0});r.hidden=!ok;if(ok)k++});n.textContent=k}
q.addEventListener('input',f);c.addEventListener('change',f);})();
</script>
</main></body></html>
`;
}

/**
 * The browse page: a list of diagnoses, newest first, with filters by category and resource and
 * a free-text search. Two ways to serve it:
 * - from a server (`ops-assistant serve`): the rows come filtered from the server (the form
 *   submits as a GET with `category`, `resource`, `q` and works without JavaScript); a small
 *   inline script also filters the rows as you type;
 * - as a static file beside the store (`ops-assistant page`, `static: true`): every row is in the
 *   page and the inline script does all the filtering (from the form, and from `?q=&category=&resource=`
 *   in the address, so a filtered view can be bookmarked). Without JavaScript the filters could not
 *   work, so the form is hidden until the script shows it.
 * At phone widths (≤ 40 rem, e.g. 390 px) the table keeps four columns that wrap inside the
 * screen: time, incident, category, confidence.
 */
import type { DiagnosisIndexEntry } from '../../../ports/diagnosis-store.port.js';
import { CATEGORIES } from '../../../model/categories.js';
import { categoryLabel } from '../labels.js';
import { escapeXml as esc } from './svg-chart.js';

export interface BrowseFilters {
  readonly category?: string;
  /** Substring of a resource name or ARN (case-insensitive). */
  readonly resource?: string;
  /** Free text matched against title, id, category and resources (case-insensitive; every word must match). */
  readonly q?: string;
}

export interface BrowsePageOptions {
  /** Link target of an entry's HTML report; default `/v1/diagnoses/<id>?format=html`. */
  readonly reportHref?: (entry: DiagnosisIndexEntry) => string;
  /** Link to the next page, when the listing has one. */
  readonly nextHref?: string;
  /**
   * A static page (no server behind it): the script filters every row, the form is shown only
   * when the script runs, and the category list holds the categories present. Default false.
   */
  readonly static?: boolean;
}

/** True when `entry` passes every filter. */
export function matchesFilters(entry: DiagnosisIndexEntry, filters: BrowseFilters): boolean {
  if (filters.category && entry.category !== filters.category) return false;
  if (filters.resource && !entry.resources.some((r) => r.toLowerCase().includes(filters.resource!.toLowerCase()))) return false;
  if (filters.q) {
    const hay = searchText(entry);
    if (!filters.q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w))) return false;
  }
  return true;
}

/** What the free-text search reads: title, id, category (id and label) and resources, lower case. */
function searchText(entry: DiagnosisIndexEntry): string {
  return [entry.title, entry.id, entry.category, categoryLabel(entry.category), ...entry.resources].join(' ').toLowerCase();
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}
form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:0 0 1rem}
form[hidden]{display:none}
label{display:flex;flex-direction:column;font-size:.85rem;color:#4b5563;min-width:0;flex:1 1 10rem}
input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid #8c959f;border-radius:.3rem;max-width:100%;min-width:0}
button{background:#0b5cad;color:#fff;border-color:#0b5cad;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa;overflow-wrap:normal}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.when{white-space:nowrap;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;color:#4b5563}
a{color:#0b5cad}
.sev-critical,.sev-high{color:#b00020;font-weight:600}.sev-medium{color:#8a4b00}
.empty{color:#4b5563}
.wrap{overflow-x:auto}
@media (max-width:40rem){
main{padding:.6rem}
td.hide-sm,th.hide-sm,th .hide-sm{display:none}
th,td{padding:.35rem .3rem}
table{font-size:.85rem}
td.when{white-space:normal}
code{font-size:.72rem}
}
`;

/**
 * The inline script: filters rows by the form's fields (`q`: every word in `data-search`;
 * `category`: equal to `data-category`; `resource`: a substring of a line of `data-resources`),
 * counts what is shown, reads the fields from the address on load, and on a static page filters
 * instead of submitting and shows the form.
 */
const SCRIPT = `
(function(){var form=document.getElementById('filters'),q=document.getElementById('q'),c=document.getElementById('category'),res=document.getElementById('resource'),rows=document.querySelectorAll('#rows tr'),n=document.getElementById('shown'),none=document.getElementById('none'),isStatic=form.hasAttribute('data-static');
function f(){var w=q.value.toLowerCase().split(/\\s+/).filter(Boolean),cat=c.value,r=res.value.toLowerCase().trim(),k=0;rows.forEach(function(row){var ok=(!cat||row.dataset.category===cat)&&(!r||row.dataset.resources.split('\\n').some(function(x){return x.indexOf(r)>=0}))&&w.every(function(x){return row.dataset.search.indexOf(x)>=0});row.hidden=!ok;if(ok)k++});n.textContent=k;none.hidden=k>0}
if(isStatic){var p=new URLSearchParams(location.search);if(p.get('q'))q.value=p.get('q');if(p.get('resource'))res.value=p.get('resource');if(p.get('category')){c.value=p.get('category')}
form.addEventListener('submit',function(e){e.preventDefault();f()});form.hidden=false}
q.addEventListener('input',f);c.addEventListener('change',f);res.addEventListener('input',f);f();})();
`;

/** `2026-11-30 06:42` as a date and a time that wrap onto two lines at phone widths. */
function when(createdAt: string): string {
  const text = createdAt.replace('T', ' ').slice(0, 16);
  const [date, time] = text.split(' ');
  return `<time datetime="${esc(createdAt)}">${esc(date ?? text)} ${esc(time ?? '')}</time>`;
}

/**
 * Renders the browse page for `entries` (already newest first), applying `filters`.
 * @example
 *   await writeFile('out/index.html', renderBrowsePage(entries, {}, { static: true, reportHref: (e) => e.key.replace(/\.json$/, '.html') }));
 */
export function renderBrowsePage(entries: readonly DiagnosisIndexEntry[], filters: BrowseFilters = {}, options: BrowsePageOptions = {}): string {
  const href = options.reportHref ?? ((e: DiagnosisIndexEntry) => `/v1/diagnoses/${encodeURIComponent(e.id)}?format=html`);
  const shown = entries.filter((e) => matchesFilters(e, filters));
  // A static page holds every row: its categories are the ones present. A server page lists one filtered page: every category.
  const present = [...new Set(entries.map((e) => e.category))].sort();
  const categories = options.static ? present : [...new Set([...present, ...CATEGORIES])];
  const rows = shown.map((e) => `<tr data-search="${esc(searchText(e))}" data-category="${esc(e.category)}" data-resources="${esc(e.resources.map((r) => r.toLowerCase()).join('\n'))}">
<td class="when">${when(e.createdAt)}</td><td><a href="${esc(href(e))}">${esc(e.title)}</a><br><code>${esc(e.id)}</code></td>
<td>${esc(categoryLabel(e.category))}<br><code>${esc(e.category)}</code></td><td class="num">${Math.round(e.confidence * 100)}%</td><td class="sev-${esc(e.severity)} hide-sm">${esc(e.severity)}</td><td class="hide-sm">${esc(e.resources.join(', '))}</td></tr>`);
  const option = (c: string) => `<option value="${esc(c)}"${filters.category === c ? ' selected' : ''}>${esc(categoryLabel(c))} (${esc(c)})</option>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Diagnoses — ops-assistant</title><style>${CSS}</style></head>
<body><main>
<h1>Diagnoses</h1>
<form method="get" role="search" aria-label="Filter diagnoses" id="filters"${options.static ? ' data-static hidden' : ''}>
<label>Search<input type="search" name="q" value="${esc(filters.q ?? '')}" placeholder="title, id, resource" id="q"></label>
<label>Category<select name="category" id="category"><option value="">all</option>${categories.map(option).join('')}</select></label>
<label>Resource<input type="text" name="resource" id="resource" value="${esc(filters.resource ?? '')}" placeholder="e.g. checkout"></label>
<button type="submit">Filter</button>
</form>
<p class="count" aria-live="polite"><span id="shown">${shown.length}</span> of ${entries.length} diagnoses</p>
<div class="wrap"><table><thead><tr><th scope="col">Created <span class="hide-sm">(UTC)</span></th><th scope="col">Incident</th><th scope="col">Category</th><th scope="col" class="num">Conf.</th><th scope="col" class="hide-sm">Severity</th><th scope="col" class="hide-sm">Resources</th></tr></thead>
<tbody id="rows">${rows.join('')}</tbody></table></div>
<p class="empty" id="none"${shown.length === 0 ? '' : ' hidden'}>No diagnosis matches these filters.</p>
${options.nextHref ? `<p><a href="${esc(options.nextHref)}" rel="next">Older diagnoses →</a></p>` : ''}
<script>${SCRIPT}</script>
</main></body></html>
`;
}

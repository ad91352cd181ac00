/**
 * A small SVG chart module for the HTML report: line charts with a threshold line and an event
 * marker, and a compact multi-series timeline. Output is static SVG markup (no script), with
 * `role="img"`, a `<title>` and a `<desc>` for screen readers.
 */

/** One series to draw: x in milliseconds since the epoch, y in the series' unit. */
export interface ChartSeries {
  readonly label: string;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** CSS colour; defaults cycle through an accessible palette. */
  readonly color?: string;
  /** Draw dashed (e.g. a baseline). */
  readonly dashed?: boolean;
  /**
   * `strong`: a thick line with points (what the reader should find); `muted`: a thin line without
   * points, for context; default a regular line with points.
   */
  readonly emphasis?: 'strong' | 'muted';
}

export interface LineChartOptions {
  readonly title: string;
  /** Longer text alternative (what the chart shows, in words). */
  readonly description: string;
  readonly series: readonly ChartSeries[];
  /** A horizontal line (e.g. the alarm threshold), in y units. */
  readonly threshold?: { readonly value: number; readonly label: string };
  /** A vertical marker (e.g. the alarm time), ms since the epoch. */
  readonly marker?: { readonly x: number; readonly label: string };
  /** Pixel size of the viewBox; the SVG scales to its container. Default 640×220. */
  readonly width?: number;
  readonly height?: number;
  readonly yUnit?: string;
}

/** Colour-blind-safe palette (Okabe–Ito), dark enough for 3:1 contrast on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8a6d00', '#56B4E9', '#000000'];

const MARGIN = { top: 24, right: 16, bottom: 36, left: 56 };

/** Escapes text for XML/HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    // Control characters (except tab and newline) are not allowed in XML and could reach a terminal
    // that displays the file: shown as \xNN.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * "Nice" tick values covering [min, max]: about `count` ticks at steps of 1, 2 or 5 × 10^k.
 * Returns at least two values; for min === max a unit range around the value.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    min -= pad;
    max += pad;
  }
  if (min > max) [min, max] = [max, min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** Formats a number compactly for axis labels (1.2k, 3.4M, 0.05). */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** Formats ms since the epoch as `HH:MM` UTC. */
export function formatTimeUtc(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/**
 * Renders a line chart as an SVG string.
 * @throws RangeError when a series' `xs` and `ys` differ in length.
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 220;
  for (const s of options.series) {
    if (s.xs.length !== s.ys.length) throw new RangeError(`series '${s.label}': ${s.xs.length} x values but ${s.ys.length} y values`);
  }
  const xsAll = options.series.flatMap((s) => s.xs.filter(Number.isFinite));
  const ysAll = options.series.flatMap((s) => s.ys.filter(Number.isFinite));
  if (options.marker) xsAll.push(options.marker.x);
  if (options.threshold) ysAll.push(options.threshold.value);
  const xMin = xsAll.length ? Math.min(...xsAll) : 0;
  const xMax = xsAll.length ? Math.max(...xsAll) : 1;
  const yTicks = niceTicks(Math.min(0, ...ysAll), ysAll.length ? Math.max(...ysAll) : 1);
  const yMin = yTicks[0]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW);
  const sy = (y: number) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;
  const id = `c${hashId(options.title)}`;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d" class="chart">`);
  parts.push(`<title id="${id}-t">${escapeXml(options.title)}</title><desc id="${id}-d">${escapeXml(options.description)}</desc>`);
  // Grid and y axis labels.
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#d0d7de" stroke-width="1"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" dy="0.32em" text-anchor="end" font-size="11" fill="#333">${escapeXml(formatNumber(t))}</text>`);
  }
  // X axis labels: up to 6 evenly spaced times.
  const xLabelCount = Math.min(6, Math.max(2, xsAll.length));
  for (let i = 0; i < xLabelCount; i++) {
    const x = xMin + ((xMax - xMin) * i) / (xLabelCount - 1);
    parts.push(`<text x="${sx(x).toFixed(1)}" y="${height - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${formatTimeUtc(x)}</text>`);
  }
  parts.push(`<text x="${width - MARGIN.right}" y="${height - 4}" text-anchor="end" font-size="10" fill="#555">UTC</text>`);
  if (options.yUnit) parts.push(`<text x="4" y="${MARGIN.top - 12}" font-size="10" fill="#555">${escapeXml(options.yUnit)}</text>`);
  // Threshold.
  if (options.threshold) {
    const y = sy(options.threshold.value).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#B00020" stroke-width="1.5" stroke-dasharray="6 4" class="threshold"/>`);
    parts.push(`<text x="${width - MARGIN.right}" y="${y}" dy="-4" text-anchor="end" font-size="11" fill="#B00020">${escapeXml(options.threshold.label)}</text>`);
  }
  // Marker.
  if (options.marker) {
    const x = sx(options.marker.x).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#6a1b9a" stroke-width="1.5" class="marker"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + 10}" dx="4" font-size="11" fill="#6a1b9a">${escapeXml(options.marker.label)}</text>`);
  }
  // Series.
  options.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const points = s.xs
      .map((x, j) => [x, s.ys[j]!] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .sort((a, b) => a[0] - b[0]);
    if (points.length === 0) return;
    const d = points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    const width = s.emphasis === 'strong' ? 3.5 : s.emphasis === 'muted' ? 1.25 : 2;
    const cls = s.emphasis ? `series ${s.emphasis}` : 'series';
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${s.dashed ? ' stroke-dasharray="3 3"' : ''} class="${cls}"><title>${escapeXml(s.label)}</title></path>`);
    if (points.length <= 60 && s.emphasis !== 'muted') {
      const r = s.emphasis === 'strong' ? 3.5 : 2.5;
      for (const [x, y] of points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="${r}" fill="${color}"/>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

function hashId(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

export { renderHtml, type HtmlReportOptions } from './report.js';
export { renderBrowsePage, matchesFilters, type BrowseFilters, type BrowsePageOptions } from './browse.js';
export { lineChart, niceTicks, formatNumber, escapeXml, type ChartSeries, type LineChartOptions } from './svg-chart.js';
export { runbookPassageLookup, runbookHrefFromRoots, runbookAnchor, type RunbookText } from './runbook-links.js';

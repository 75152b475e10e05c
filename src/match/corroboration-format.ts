import type { CorroborationReport, CorroborationRow } from './corroboration.js';

/**
 * The corroboration report as a readable table, in Markdown or HTML. Every name and id comes from rival labs' objects:
 * HTML output encodes `& < > " '`, Markdown escapes what would break out of a cell or make a link or markup.
 */

/** HTML-encodes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Escapes text for one Markdown table cell: no line breaks, pipes, markup, links or HTML. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+!|<>~-]/g, (c) => `\\${c}`);
}

const HEADERS = ['Object', 'Type', 'Producer', 'Independent labs', 'Sightings', 'Total count', 'Accounts', 'First seen', 'Last seen', 'Confidence'];

function labList(report: CorroborationReport, ids: readonly string[]): string {
  return ids.map((id) => report.labNames[id] ?? id).join(', ');
}

function cells(report: CorroborationReport, r: CorroborationRow): string[] {
  const unverified = r.unverifiedLabs.length === 0 ? '' : ` (unverified: ${labList(report, r.unverifiedLabs)})`;
  return [
    r.name === undefined ? r.object : `${r.name} (${r.object})`,
    r.via === undefined ? r.type : `${r.type}, via ${r.via.length} sighted object(s)`,
    r.producer === undefined ? '' : (report.labNames[r.producer] ?? r.producer),
    `${r.independentLabs.length}${r.independentLabs.length === 0 ? '' : `: ${labList(report, r.independentLabs)}`}${unverified}`,
    String(r.sightings),
    String(r.totalCount),
    String(r.accounts),
    r.firstSeen ?? '',
    r.lastSeen ?? '',
    `${r.baseConfidence} → ${r.confidence}`,
  ];
}

function caveat(report: CorroborationReport): string {
  return report.verified
    ? 'Sightings checked against the trust store: only verified sightings by their own author raise confidence.'
    : 'Sightings not verified (no trust store given): any member could post sightings under several identities.';
}

/** The report as a Markdown table. */
export function corroborationMarkdown(report: CorroborationReport): string {
  const lines = [
    `# Corroboration (${escapeMarkdownCell(report.generated)})`,
    '',
    caveat(report),
    '',
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
    ...report.rows.map((r) => `| ${cells(report, r).map(escapeMarkdownCell).join(' | ')} |`),
  ];
  if (report.rows.length === 0) lines.push('', 'No sightings in this collection.');
  return lines.join('\n') + '\n';
}

/** The report as a standalone HTML page. */
export function corroborationHtml(report: CorroborationReport): string {
  const head = HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = report.rows.map((r) => `<tr>${cells(report, r).map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing in this page needs scripts or remote content; the policy keeps it so if a value ever slipped through.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Corroboration ${escapeHtml(report.generated)}</title>`,
    '<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:left}</style>',
    '</head><body>',
    `<h1>Corroboration (${escapeHtml(report.generated)})</h1>`,
    `<p>${escapeHtml(caveat(report))}</p>`,
    `<table><thead><tr>${head}</tr></thead><tbody>`,
    body,
    '</tbody></table>',
    report.rows.length === 0 ? '<p>No sightings in this collection.</p>' : '',
    '</body></html>',
    '',
  ].join('\n');
}

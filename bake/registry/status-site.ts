import type { Report } from '../readiness/types';
import type { CatalogStatus, StatusRow } from './catalog-status';

/** Everything from the catalog is text: escaped for HTML, attribute values included. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const HEADINGS = ['Target', 'Kind', 'Go', 'State', 'Newest vetted', 'Vetted', 'Readiness', 'Signature'];

/** The first three cells of a table row: the target (linking to its section), kind and Go line. */
function lineCells(row: StatusRow): string {
  const link = `<a href="#${esc(anchor(row))}">${esc(row.target)}</a>`;
  return `<td>${link}</td><td>${esc(row.kind)}</td><td>${esc(row.goLine)}</td>`;
}

function anchor(row: StatusRow): string {
  return `${row.target}-${row.kind}-go${row.goLine}`.replace(/[^A-Za-z0-9_.-]/g, '-');
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}
body{color:#1b1f24}h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.5rem}h3{margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}td:first-child{white-space:nowrap}
th,td{text-align:left;padding:.35rem .55rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f3f5f7}code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem .7rem;overflow-x:auto}
pre{white-space:pre-wrap;word-break:break-all}
.state{font-weight:600;white-space:nowrap}.vetted .state{color:#1a7f37}.outdated .state{color:#9a6700}
tr.revoked td{background:#fff1f0;color:#82071e}tr.revoked .state{color:#cf222e}
.muted{color:#57606a}.fail{color:#cf222e;font-weight:600}.pass{color:#1a7f37}
section{border-top:1px solid #d0d7de;padding-top:.4rem}`;

/**
 * The catalog as one static page a team can publish beside its registry: no script, no external
 * asset (its Content-Security-Policy forbids both, so a browser would refuse them even if a value
 * slipped through), readable in any browser or none. The table lists every target, kind and Go line with
 * its newest vetted image (revoked ones in rows of their own, with the reason); below it each
 * image has its `FROM` line and its readiness report.
 */
export function renderStatusSite(status: CatalogStatus, reports: Map<string, Report>): string {
  const targets = new Set(status.rows.map((r) => r.target));
  const revokedCount = status.rows.reduce((n, r) => n + r.revoked.length, 0);
  const rows = status.rows.flatMap((row) => [
    ...(row.current ? [currentRow(row)] : []),
    ...row.revoked.map(
      (r) =>
        `<tr class="revoked" data-target="${esc(row.target)}" data-state="revoked">` +
        lineCells(row) +
        `<td class="state">REVOKED</td><td><code>${esc(r.ref)}</code><br><span>${esc(r.revocation.reason)}</span>` +
        `<br><small>by ${esc(r.revocation.by)} at ${esc(r.revocation.at)}</small></td>` +
        `<td>${esc(r.vettedAt.slice(0, 10))}</td><td></td><td></td></tr>`,
    ),
  ]);
  const sections = status.rows.map((row) => section(row, reports));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Vetted base images</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Vetted base images</h1>
<p class="muted">Catalog <code>${esc(status.location)}</code>, as of ${esc(status.generatedAt)}:
${targets.size} target${targets.size === 1 ? '' : 's'}, ${revokedCount} revoked image${revokedCount === 1 ? '' : 's'}.
Pin an image by its digest with the <code>FROM</code> line of its section.</p>
<table id="status">
<thead><tr>${HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Images</h2>
${sections.join('\n')}
</body>
</html>
`;
}

function currentRow(row: StatusRow): string {
  const c = row.current!;
  const state = row.state === 'outdated' ? 'OUTDATED' : 'VETTED';
  return (
    `<tr class="${esc(row.state)}" data-target="${esc(row.target)}" data-state="${esc(row.state)}">` +
    lineCells(row) +
    `<td class="state">${state}</td><td><code>${esc(c.ref)}</code></td>` +
    `<td>${esc(c.vettedAt.slice(0, 10))} <span class="muted">(${c.ageDays} d)</span></td>` +
    `<td>${esc(c.readiness)}</td><td>${esc(row.signature)}</td></tr>`
  );
}

function section(row: StatusRow, reports: Map<string, Report>): string {
  const c = row.current;
  const parts = [
    `<section id="${esc(anchor(row))}">`,
    `<h3>${esc(row.target)} ${esc(row.kind)}, Go ${esc(row.goLine)}</h3>`,
  ];
  if (c) {
    parts.push(`<p>Go ${esc(c.goVersion)}, vetted ${esc(c.vettedAt)}; digest <code>${esc(c.digest)}</code>.</p>`);
    if (c.from) parts.push(`<pre class="from">${esc(c.from)}</pre>`);
    const report = c.reportDigest ? reports.get(c.reportDigest) : undefined;
    parts.push(
      report ? reportTable(report) : `<p class="muted">Readiness: ${esc(c.readiness)} (report not kept here).</p>`,
    );
  } else {
    parts.push('<p class="fail">No vetted image of this line is left: every one is revoked.</p>');
  }
  for (const r of row.revoked)
    parts.push(
      `<p class="fail">Revoked: <code>${esc(r.ref)}</code> (Go ${esc(r.goVersion)}) by ${esc(r.revocation.by)} ` +
        `at ${esc(r.revocation.at)}: ${esc(r.revocation.reason)}</p>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}

function reportTable(report: Report): string {
  const passed = report.results.filter((r) => r.status === 'pass').length;
  const lines = report.results.map(
    (r) =>
      `<tr><td><code>${esc(r.id)}</code></td>` +
      `<td class="${r.status === 'pass' ? 'pass' : 'fail'}">${esc(r.status)}</td>` +
      `<td>${esc(r.reason)}</td></tr>`,
  );
  const skipped = report.skipped.map(
    (s) => `<tr><td><code>${esc(s.id)}</code></td><td class="muted">skipped</td><td>${esc(s.reason)}</td></tr>`,
  );
  return (
    `<details><summary>Readiness report: ${passed}/${report.results.length} passed, ` +
    `${esc(report.startedAt)}</summary>\n<table><thead><tr><th>Check</th><th>Result</th><th>Why</th></tr></thead>` +
    `<tbody>\n${[...lines, ...skipped].join('\n')}\n</tbody></table>\n</details>`
  );
}

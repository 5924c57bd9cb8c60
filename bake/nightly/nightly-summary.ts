import type { TargetResult } from '../pipeline/types';
import { junitReport } from '../common/junit-report';
import type { JUnitCase } from '../common/types';

/** A nightly run as CI shows it: per target built, skipped, failed or unavailable. */
export interface NightlySummary {
  schema: 'bake.nightly/v1';
  startedAt: string;
  durationMs: number;
  location: string;
  shard?: string;
  counts: Record<'built' | 'skipped' | 'failed' | 'unavailable', number>;
  targets: (TargetResult & { outcome: keyof NightlySummary['counts'] })[];
}

/** Built: vetted now (or found vetted in the engine and recorded); skipped: already in the catalog. */
export function outcomeOf(result: TargetResult): keyof NightlySummary['counts'] {
  switch (result.status) {
    case 'vetted':
    case 'up-to-date':
      return 'built';
    case 'skipped':
      return 'skipped';
    case 'unavailable':
      return 'unavailable';
    default:
      return 'failed';
  }
}

export function nightlySummary(
  results: TargetResult[],
  meta: { startedAt: Date; durationMs: number; location: string; shard?: string },
): NightlySummary {
  const targets = results.map((r) => ({ ...r, outcome: outcomeOf(r) }));
  const counts = { built: 0, skipped: 0, failed: 0, unavailable: 0 };
  for (const t of targets) counts[t.outcome]++;
  return {
    schema: 'bake.nightly/v1',
    startedAt: meta.startedAt.toISOString(),
    durationMs: meta.durationMs,
    location: meta.location,
    ...(meta.shard ? { shard: meta.shard } : {}),
    counts,
    targets,
  };
}

const ICON = { built: '✅', skipped: '⏭️', failed: '❌', unavailable: '⚪' } as const;

/** Markdown for a CI job summary ($GITHUB_STEP_SUMMARY and the like). */
export function nightlyMarkdown(summary: NightlySummary): string {
  const { counts } = summary;
  const totalSeconds = (summary.durationMs / 1000).toFixed(1);
  const lines = [
    `## bake nightly${summary.shard ? ` (shard ${summary.shard})` : ''}`,
    '',
    `${counts.built} built, ${counts.skipped} skipped, ${counts.failed} failed, ` +
      `${counts.unavailable} unavailable in ${totalSeconds} s; catalog: \`${summary.location}\``,
    '',
    '| target | result | Go | time | images or reason | why |',
    '|---|---|---|---|---|---|',
    ...summary.targets.map((t) => {
      const images = t.images.map((i) => `${i.kind}: \`${i.immutableRef ?? i.tags[0] ?? i.imageId.slice(0, 19)}\``);
      if (t.ami?.amiId) images.push(`ami: \`${t.ami.amiId}\`${t.ami.status === 'skipped' ? ' (already vetted)' : ''}`);
      const detail =
        t.outcome === 'failed' || t.outcome === 'unavailable' || images.length === 0
          ? markdownCell((t.message ?? '').split('\n')[0])
          : images.join('<br>');
      const why = t.changes?.length ? t.changes.map(markdownCell).join('<br>') : '-';
      const go = t.go?.version ?? '-';
      const seconds = (t.durationMs / 1000).toFixed(1);
      return `| ${t.target} | ${ICON[t.outcome]} ${t.outcome} | ${go} | ${seconds} s | ${detail} | ${why} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** Text in a table cell: pipes would end the cell, and `<...>` would vanish as HTML. */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JUnit XML: one test case per target; unavailable targets are skipped with their reason. */
export function nightlyJunit(summary: NightlySummary): string {
  const cases = summary.targets.map((t): JUnitCase => {
    const base = { name: t.target, classname: 'bake.nightly', durationMs: t.durationMs };
    const message = (t.message ?? '').split('\n')[0] ?? '';
    if (t.outcome === 'failed') return { ...base, failure: { message, type: t.status, text: t.message ?? '' } };
    if (t.outcome === 'unavailable') return { ...base, skipped: message };
    const why = t.changes?.length ? `\nwhy: ${t.changes.join('; ')}` : '';
    return {
      ...base,
      output: `${t.outcome}: ${t.images.map((i) => i.immutableRef ?? i.imageId).join(', ') || 'already vetted'}${why}`,
    };
  });
  return junitReport('bake nightly', [
    {
      name: `bake nightly${summary.shard ? ` ${summary.shard}` : ''}`,
      timestamp: summary.startedAt,
      durationMs: summary.durationMs,
      cases,
    },
  ]);
}

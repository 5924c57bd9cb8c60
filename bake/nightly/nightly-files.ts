import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { redact } from '../common/redact';
import { nightlyJunit, nightlyMarkdown, type NightlySummary } from './nightly-summary';

export interface NightlyFiles {
  json: string;
  markdown: string;
  junit: string;
}

/**
 * Writes nightly.json, summary.md and junit.xml into `dir` (and appends the Markdown to the CI
 * job summary, when there is one), all redacted: the summary quotes failure messages, URLs
 * among them, and CI shows these files to everyone with access to the job. Returns the
 * paths and the redacted Markdown, for stdout.
 */
export async function writeNightlyFiles(
  dir: string,
  summary: NightlySummary,
  stepSummary?: string,
): Promise<{ files: NightlyFiles; markdown: string }> {
  const files = { json: join(dir, 'nightly.json'), markdown: join(dir, 'summary.md'), junit: join(dir, 'junit.xml') };
  const markdown = redact(nightlyMarkdown(summary));
  await writeFileAtomic(files.json, redact(`${JSON.stringify(summary, null, 2)}\n`));
  await writeFileAtomic(files.markdown, markdown);
  await writeFileAtomic(files.junit, redact(nightlyJunit(summary)));
  if (stepSummary) await fs.appendFile(stepSummary, markdown);
  return { files, markdown };
}

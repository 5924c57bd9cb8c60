import { sha256Hex } from '../../common/sha256';
import type { Baseline, TreeListing } from '../../drift/types';
import { GOROOT } from '../../plan/go-environment';
import { BASELINE_BEGIN, BASELINE_END } from '../ec2/bake-tags';

const PART = /^===== bake baseline: (records|goroot\.meta|goroot\.sums|end) =====$/;

/**
 * The records of bake-drift's `KEY<TAB>VALUE` lines. `go env -json` values arrive as JSON
 * escapes them (the script never decodes them); here they become the values bake records for
 * images too.
 */
export function parseRecords(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const key = line.slice(0, tab);
    const raw = line.slice(tab + 1);
    values[key] = key.startsWith('go.env') && key.includes(':') ? unescapeJson(raw) : raw;
  }
  return values;
}

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** `bake-drift capture` / `baseline` output: the records and GOROOT's two listings. */
export function parseHostCapture(text: string): { values: Record<string, string>; trees: Record<string, TreeListing> } {
  const parts: Record<string, string[]> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const mark = PART.exec(line);
    if (mark) {
      current = mark[1] === 'end' ? undefined : mark[1];
      if (current) parts[current] = [];
      continue;
    }
    if (current) parts[current].push(line);
  }
  const text_ = (name: string) => (parts[name] ?? []).map((l) => `${l}\n`).join('');
  const trees: Record<string, TreeListing> = {};
  if (parts['goroot.meta']) trees[GOROOT] = { meta: text_('goroot.meta'), sums: text_('goroot.sums') };
  return { values: parseRecords(text_('records')), trees };
}

/**
 * The baseline the provisioning script printed on the console (bake-drift record), when the whole
 * block is there and hashes to what its end line says; a cut or interleaved block is none.
 */
export function parseConsoleBaseline(text: string): Baseline | undefined {
  const lines = text.replace(/\r/g, '').split('\n');
  for (let end = lines.length - 1; end > 0; end--) {
    const mark = new RegExp(`^${escape(BASELINE_END)} sha256=([0-9a-f]{64})$`).exec(lines[end].trim());
    if (!mark) continue;
    let begin = end - 1;
    while (begin >= 0 && !lines[begin].startsWith(BASELINE_BEGIN)) begin--;
    if (begin < 0) return undefined;
    const body = lines
      .slice(begin + 1, end)
      .map((l) => `${l}\n`)
      .join('');
    if (sha256Hex(body) !== mark[1]) continue;
    const capturedAt = /captured-at=(\S+)/.exec(lines[begin])?.[1] ?? '';
    return { schema: 'bake.baseline/v1', kind: 'vm', capturedAt, values: parseRecords(body) };
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

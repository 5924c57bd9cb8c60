import { parseDocument } from 'yaml';
import type { RecipeProblem } from './recipe-errors';

/** YAML aliases may be used, but never to expand a small file into a huge value. */
const MAX_ALIASES = 50;

/**
 * A recipe's (or an imported suite's) YAML as plain values: duplicate keys, syntax errors and
 * alias bombs become problems naming the file and line, never a crash or a huge value.
 */
export function parseYamlText(text: string, file: string, problems: RecipeProblem[]): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}` : '';
      problems.push({
        file,
        path: where,
        message: `YAML: ${e.message
          .split('\n')[0]
          .replace(/ at line \d+, column \d+:?$/, '')
          .slice(0, 160)}`,
      });
    }
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (err) {
    problems.push({
      file,
      path: '',
      message: `YAML: ${String((err as Error).message)
        .split('\n')[0]
        .slice(0, 120)}`,
    });
    return undefined;
  }
}

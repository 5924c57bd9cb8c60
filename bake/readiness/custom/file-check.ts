import { createHash } from 'node:crypto';
import type { CustomCheck } from '../../recipe/types';
import { clip, outcome } from '../evidence';
import type { CheckOutcome, Driver, Evidence } from '../types';
import { describeStat, numericId, statPath } from './file-stat';
import { describeMatch, shownName, textProblems } from './text-match';

export type FileCheckSpec = Extract<CustomCheck, { kind: 'file' }>;

const EXECUTE_BITS = { owner: 0o100, group: 0o010, other: 0o001, any: 0o111 } as const;

/** `kind: file`: existence, type, mode, owner and group, who may execute it, content and sha256. */
export async function runFileCheck(driver: Driver, spec: FileCheckSpec): Promise<CheckOutcome> {
  const path = shownName(spec.path);
  const expected = expectation(spec);
  const stat = await statPath(driver, spec.path);
  const evidence: Evidence[] = [
    { command: `stat ${path}`, output: stat ? describeStat(stat) : 'no such file or directory', expected },
  ];
  if (spec.exists === false)
    return outcome(stat ? [`${path} exists (${stat.type}); expected it absent`] : [], evidence, `${path} is absent`);
  if (!stat) return outcome([`${path} does not exist`], evidence, '');

  const problems: string[] = [];
  if (spec.type && stat.type !== spec.type) problems.push(`${path} is a ${stat.type}, expected a ${spec.type}`);
  if (spec.mode !== undefined) {
    const want = Number.parseInt(spec.mode, 8);
    if ((stat.mode & 0o7777) !== want) problems.push(`${path} has mode ${octal(stat.mode)}, expected ${octal(want)}`);
  }
  if (spec.executableBy && (stat.mode & EXECUTE_BITS[spec.executableBy]) === 0)
    problems.push(`${path} (mode ${octal(stat.mode)}) is not executable by ${spec.executableBy}`);
  for (const [field, database, actual] of [
    ['owner', '/etc/passwd', stat.uid],
    ['group', '/etc/group', stat.gid],
  ] as const) {
    const wanted = spec[field];
    if (wanted === undefined) continue;
    const id = await numericId(driver, wanted, database);
    if (id === undefined) problems.push(`${field} ${JSON.stringify(wanted)} is not in the artifact's ${database}`);
    else if (id !== actual) problems.push(`${path} has ${field} ${actual}, expected ${id} (${wanted})`);
  }
  if (spec.content || spec.sha256) {
    const content = stat.type === 'file' ? await driver.readFile(spec.path) : undefined;
    if (!content) problems.push(`${path} is not a regular file whose content can be read`);
    else {
      const text = content.toString('utf8');
      const sha256 = createHash('sha256').update(content).digest('hex');
      evidence.push({ command: `read ${path}`, output: `sha256 ${sha256}\n${clip(text)}`, expected });
      if (spec.content) problems.push(...textProblems(text, spec.content, path));
      if (spec.sha256 && sha256 !== spec.sha256) problems.push(`${path} has sha256 ${sha256}, expected ${spec.sha256}`);
    }
  }
  return outcome(problems, evidence, expected);
}

function expectation(spec: FileCheckSpec): string {
  const path = shownName(spec.path);
  if (spec.exists === false) return `${path} is absent`;
  return [
    `${path} exists`,
    ...(spec.type ? [`is a ${spec.type}`] : []),
    ...(spec.mode ? [`mode ${octal(Number.parseInt(spec.mode, 8))}`] : []),
    ...(spec.owner !== undefined ? [`owner ${spec.owner}`] : []),
    ...(spec.group !== undefined ? [`group ${spec.group}`] : []),
    ...(spec.executableBy ? [`executable by ${spec.executableBy}`] : []),
    ...(spec.content ? [describeMatch(spec.content, 'content')] : []),
    ...(spec.sha256 ? [`sha256 ${spec.sha256}`] : []),
  ].join('; ');
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

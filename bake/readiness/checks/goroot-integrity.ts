import { sha256Hex } from '../../common/sha256';
import { describeCommand, execOutput, outcome, shArgv } from '../evidence';
import type { Check } from '../types';

const LIST_LIMIT = 20;
const MARK = '---';
// Symlinks are skipped in the permission scan: their mode is always 0777 and means nothing.
const SCRIPT = [
  'stat -c "%u %a" "$1" || exit 3',
  `echo ${MARK}`,
  `find "$1" ! -type l \\( -perm -o+w -o -perm -g+w \\) -print | head -n ${LIST_LIMIT + 1}`,
  `echo ${MARK}`,
  `find "$1" ! -uid 0 -print | head -n ${LIST_LIMIT + 1}`,
].join('\n');

export const gorootIntegrityCheck: Check = {
  id: 'goroot.integrity',
  description:
    'GOROOT is root-owned, nothing in it is group- or world-writable, and go matches the verified distribution',
  appliesTo: ['toolchain', 'vm'],
  reads: 'artifact',
  async run(driver, expect) {
    const goroot = expect.env.GOROOT ?? '/usr/local/go';
    const argv = shArgv(SCRIPT, goroot);
    const result = await driver.exec(argv, {});
    const problems: string[] = [];
    const [statLine = '', writableText = '', foreignText = ''] = result.stdout.split(`${MARK}\n`);
    const [uid, mode] = statLine.trim().split(' ');
    if (result.exitCode !== 0 || uid === undefined || mode === undefined) {
      problems.push(`cannot inspect ${goroot} (exit ${result.exitCode}): ${result.stderr.trim().split('\n')[0] ?? ''}`);
    } else {
      if (uid !== '0') problems.push(`${goroot} is owned by uid ${uid}, not root`);
      const writable = lines(writableText);
      if (writable.length)
        problems.push(`${countOf(writable)} paths in ${goroot} are group- or world-writable, e.g. ${writable[0]}`);
      const foreign = lines(foreignText);
      if (foreign.length)
        problems.push(`${countOf(foreign)} paths in ${goroot} are not owned by root, e.g. ${foreign[0]}`);
    }

    const goBinary = `${goroot}/bin/go`;
    const content = await driver.readFile(goBinary);
    const actual = content ? sha256Hex(content) : undefined;
    if (!actual) problems.push(`${goBinary} does not exist`);
    else if (actual !== expect.goBinarySha256)
      problems.push(`${goBinary} has sha256 ${actual}, the verified distribution has ${expect.goBinarySha256}`);

    return outcome(
      problems,
      [
        {
          command: describeCommand(argv),
          output: execOutput(result),
          expected: `"0 <mode>" then no writable paths, then no paths owned by others`,
        },
        {
          command: `sha256 of ${goBinary} (read from the artifact)`,
          output: actual ? `${actual} (${content?.length} bytes)` : 'missing',
          expected: expect.goBinarySha256,
        },
      ],
      `${goroot} root-owned, not writable by others; go binary matches the distribution`,
    );
  },
};

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

function countOf(list: string[]): string {
  return list.length > LIST_LIMIT ? `more than ${LIST_LIMIT}` : String(list.length);
}

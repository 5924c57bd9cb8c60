import { posix } from 'node:path';
import { PROBE_NAME } from '../../render/probe';
import { outcome } from '../evidence';
import type { Check, Evidence, LayerFile } from '../types';

/** Directories where a program would be found (PATH, sbin, GOROOT's bin). */
const PROGRAM_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];

/** What a runtime image must not carry, by the name of a program: it runs binaries, nothing else. */
const FORBIDDEN_PROGRAMS: Record<string, string> = {
  ...Object.fromEntries(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox'].map((p) => [p, 'shell'])),
  ...Object.fromEntries(
    ['dpkg', 'apt', 'apt-get', 'rpm', 'yum', 'dnf', 'microdnf', 'apk'].map((p) => [p, 'package manager']),
  ),
  ...Object.fromEntries(['go', 'gofmt', 'gcc', 'cc', 'c++', 'g++', 'clang'].map((p) => [p, 'compiler'])),
};

/** Package manager state that is cache, not record. */
const CACHE_PREFIXES = ['/var/cache/apt/archives/', '/var/lib/apt/lists/', '/var/cache/yum/', '/var/cache/dnf/'];

/** Why an entry of a layer has no place in a runtime image, or undefined. */
export function forbiddenEntry(file: Pick<LayerFile, 'path' | 'type'>, goroot: string): string | undefined {
  if (file.type === 'directory' || file.type === 'other') return undefined;
  const name = posix.basename(file.path);
  if (name.startsWith('.wh.')) return undefined;
  if (name === PROBE_NAME) return 'bake test binary';
  const dir = posix.dirname(file.path);
  if (FORBIDDEN_PROGRAMS[name] && (PROGRAM_DIRS.includes(dir) || dir === `${goroot}/bin`))
    return FORBIDDEN_PROGRAMS[name];
  if (file.path.startsWith(`${goroot}/`)) return 'Go distribution';
  if (CACHE_PREFIXES.some((p) => file.path.startsWith(p)) && name !== 'lock' && name !== 'partial')
    return 'package manager cache';
  return undefined;
}

export const runtimeMinimalCheck: Check = {
  id: 'runtime.minimal',
  description:
    'the runtime image has CA certificates and tzdata, and no shell, package manager, compiler, bake binary ' +
    'or package cache in any layer',
  appliesTo: ['runtime'],
  reads: 'artifact',
  async run(driver, expect) {
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const goroot = expect.env.GOROOT ?? '/usr/local/go';

    if (!driver.layerFiles) {
      problems.push('the driver cannot list the image layers');
    } else {
      const found: string[] = [];
      let entries = 0;
      for await (const file of driver.layerFiles()) {
        entries++;
        const why = forbiddenEntry(file, goroot);
        if (why) found.push(`${file.path} (${why}, ${file.layer})`);
      }
      if (found.length) problems.push(`not minimal: ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', ...' : ''}`);
      evidence.push({
        command: 'list every entry of every layer',
        output: found.length ? found.join('\n') : `${entries} entries, none of them forbidden`,
        expected: 'no shell, package manager, compiler, Go tree, bake probe or package cache',
      });
    }

    const utc = await driver.readFile('/usr/share/zoneinfo/UTC');
    const tzOk = !!utc && utc.subarray(0, 4).toString('latin1') === 'TZif';
    if (!tzOk)
      problems.push(utc ? '/usr/share/zoneinfo/UTC is not a TZif file' : 'tzdata is missing (/usr/share/zoneinfo/UTC)');
    evidence.push({
      command: 'read /usr/share/zoneinfo/UTC',
      output: utc ? `${utc.length} bytes, magic ${JSON.stringify(utc.subarray(0, 4).toString('latin1'))}` : 'missing',
      expected: 'a TZif file',
    });

    const bundle = await driver.readFile(expect.caBundlePath);
    if (!bundle || bundle.length === 0)
      problems.push(`the CA bundle ${expect.caBundlePath} is ${bundle ? 'empty' : 'missing'}`);
    evidence.push({
      command: `read ${expect.caBundlePath}`,
      output: bundle ? `${bundle.length} bytes` : 'missing',
      expected: 'a non-empty CA bundle',
    });

    return outcome(problems, evidence, 'CA bundle and tzdata present; no shell, package manager, compiler or caches');
  },
};

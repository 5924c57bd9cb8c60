import { describeCommand, execOutput, execWithEvidence, outcome, shArgv } from '../evidence';
import type { Check, Evidence } from '../types';

// Writability is proven by writing: permission bits alone miss read-only mounts and ACLs.
const WRITABLE_SCRIPT =
  'for d in "$@"; do if mkdir -p "$d" && f=$(mktemp -p "$d") && rm -f "$f"; ' +
  'then echo "writable $d"; else echo "NOT WRITABLE $d"; fi; done';

export const userNonRootCheck: Check = {
  id: 'user.non-root',
  description: 'the default user is the non-root build user, and its HOME, GOPATH and caches are writable',
  appliesTo: ['toolchain', 'runtime'],
  async run(driver, expect) {
    const { name, uid, gid } = expect.user;
    const problems: string[] = [];
    const evidence: Evidence[] = [];

    if (driver.imageConfig) {
      const configured = (await driver.imageConfig()).user;
      const [who = '', group] = configured.split(':');
      evidence.push({
        command: 'image config User',
        output: configured || '(empty: root)',
        expected: `${name} or ${uid}`,
      });
      const shownUser = configured ? `"${configured}"` : 'root (User is empty)';
      if (who !== name && who !== String(uid))
        problems.push(`the image's default user is ${shownUser}, not ${name} (${uid})`);
      else if (group !== undefined && group !== String(gid) && group !== name)
        problems.push(`the image's default group is "${group}", expected ${gid}`);
    }

    const ids = await execWithEvidence(driver, shArgv('id -u; id -g'), {}, `${uid}\n${gid}`);
    evidence.push(ids.evidence);
    const [actualUid, actualGid] = ids.result.stdout.trim().split('\n');
    if (ids.result.exitCode !== 0) problems.push(`id failed (exit ${ids.result.exitCode})`);
    else {
      if (actualUid !== String(uid)) problems.push(`processes run as uid ${actualUid}, expected ${uid}`);
      if (actualGid !== String(gid)) problems.push(`processes run as gid ${actualGid}, expected ${gid}`);
    }

    const dirs = [
      expect.user.home,
      ...(expect.kind === 'runtime' ? [] : ['GOPATH', 'GOBIN', 'GOCACHE', 'GOMODCACHE'].map((k) => expect.env[k])),
    ].filter((d): d is string => !!d);
    const argv = shArgv(WRITABLE_SCRIPT, ...dirs);
    const written = await driver.exec(argv, { user: name });
    const notWritable = written.stdout
      .split('\n')
      .filter((l) => l.startsWith('NOT WRITABLE '))
      .map((l) => l.slice('NOT WRITABLE '.length));
    if (written.exitCode !== 0) problems.push(`the writability probe failed (exit ${written.exitCode})`);
    if (notWritable.length) problems.push(`not writable by ${name}: ${notWritable.join(', ')}`);
    evidence.push({
      command: describeCommand(argv, { user: name }),
      output: execOutput(written),
      expected: dirs.map((d) => `writable ${d}`).join('\n'),
    });

    return outcome(problems, evidence, `runs as ${name} (${uid}:${gid}); ${dirs.join(', ')} writable`);
  },
};

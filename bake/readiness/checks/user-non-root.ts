import { describeCommand, execOutput, execWithEvidence, exitSummary, outcome } from '../evidence';
import { parseProbeOutput } from '../probe-output';
import { PROBE_PATH } from '../../render/probe';
import type { Check, Evidence } from '../types';

/**
 * Through bake's probe in the check container, so it needs nothing of the image (a runtime
 * image has no shell): the probe reports the ids it runs as, and proves writability by writing.
 */
export const userNonRootCheck: Check = {
  id: 'user.non-root',
  description: 'the default user is the non-root build user, and its HOME, GOPATH and caches are writable',
  appliesTo: ['toolchain', 'runtime'],
  reads: 'artifact',
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

    // As the image's default user: what every process of a container runs as.
    const ids = await execWithEvidence(driver, [PROBE_PATH], {}, `"uid": ${uid}, "gid": ${gid}`);
    evidence.push(ids.evidence);
    const probe = parseProbeOutput(ids.result.stdout);
    if (!probe) problems.push(`${PROBE_PATH} printed no report (${exitSummary(ids.result)})`);
    else {
      if (probe.uid !== uid) problems.push(`processes run as uid ${probe.uid}, expected ${uid}`);
      if (probe.gid !== gid) problems.push(`processes run as gid ${probe.gid}, expected ${gid}`);
    }

    const dirs = [
      expect.user.home,
      ...(expect.kind === 'runtime' ? [] : ['GOPATH', 'GOBIN', 'GOCACHE', 'GOMODCACHE'].map((k) => expect.env[k])),
    ].filter((d): d is string => !!d);
    const argv = [PROBE_PATH, 'writable', ...dirs];
    const written = await driver.exec(argv, { user: name });
    const notWritable = written.stdout
      .split('\n')
      .filter((l) => l.startsWith('NOT WRITABLE '))
      .map((l) => l.slice('NOT WRITABLE '.length));
    const proven = written.stdout.split('\n').filter((l) => l.startsWith('writable ')).length;
    if (written.exitCode !== 0) problems.push(`the writability probe failed (${exitSummary(written)})`);
    else if (notWritable.length) problems.push(`not writable by ${name}: ${notWritable.join(', ')}`);
    else if (proven !== dirs.length) problems.push(`the writability probe answered for ${proven} of ${dirs.length}`);
    evidence.push({
      command: describeCommand(argv, { user: name }),
      output: execOutput(written),
      expected: dirs.map((d) => `writable ${d}`).join('\n'),
    });

    return outcome(problems, evidence, `runs as ${name} (${uid}:${gid}); ${dirs.join(', ')} writable`);
  },
};

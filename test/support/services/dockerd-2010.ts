import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../../bake/common/run-command';

/**
 * Debian bookworm's Docker Engine 20.10 (API 1.41), the oldest engine bake supports, unpacked
 * beside the current one and never installed: `apt-get download` (apt checks the .deb against
 * the machine's signed index) and `dpkg -x` under `cacheDir/dockerd-20.10/<version>`, reused
 * while that version is the archive's. It runs with the machine's containerd and runc.
 */
export async function unpackedDockerd2010(cacheDir: string, log: (line: string) => void): Promise<string> {
  const madison = await runCommand('apt-cache', ['madison', 'docker.io']);
  const version = madison.stdout
    .split('\n')
    .map((line) => line.split('|').map((field) => field.trim()))
    .find(([, v, source]) => v?.startsWith('20.10.') && /bookworm/.test(source ?? ''))?.[1];
  if (!version) throw new Error(`no docker.io 20.10 in the machine's apt lists: ${madison.stdout.trim()}`);
  const root = join(cacheDir, 'dockerd-20.10', version.replace(/[^\w.+-]/g, '_'));
  const dockerd = join(root, 'usr', 'sbin', 'dockerd');
  if (
    await fs.access(join(root, '.complete')).then(
      () => true,
      () => false,
    )
  )
    return dockerd;

  const work = `${root}.tmp-${process.pid}`;
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  try {
    const download = await runCommand('apt-get', ['download', `docker.io=${version}`], { cwd: work });
    if (download.code !== 0) throw new Error(`apt-get download docker.io=${version}: ${download.stderr.trim()}`);
    const deb = (await fs.readdir(work)).find((f) => f.endsWith('.deb'))!;
    const unpack = await runCommand('dpkg', ['-x', join(work, deb), join(work, 'tree')]);
    if (unpack.code !== 0) throw new Error(`dpkg -x ${deb}: ${unpack.stderr.trim()}`);
    await fs.writeFile(join(work, 'tree', '.complete'), `${version}\n`);
    await fs.rm(root, { recursive: true, force: true });
    await fs.mkdir(join(root, '..'), { recursive: true });
    await fs.rename(join(work, 'tree'), root);
    log(`docker.io ${version} unpacked in ${root}`);
    return dockerd;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../bake/common/log';
import { sha256File } from '../../../bake/common/sha256';
import { runCommand } from '../../../bake/common/run-command';
import { findDebianArchiveUri } from '../../../bake/golang/debian/apt-sources';
import { parsePackagesIndex } from '../../../bake/golang/debian/apt-packages-index';
import { createPrivateApt } from '../../../bake/golang/debian/apt-private';
import { compareDebianVersions } from '../../../bake/common/debian-version';
import { type BackgroundProcess, startBackground, stopBackground, waitUntilReady } from './background-process';
import { freePort } from './free-port';

export interface MotoService {
  /** `http://127.0.0.1:PORT`: the EC2 (and IAM) API the AMI tests talk to. */
  endpoint: string;
  process: BackgroundProcess;
  /** The python3-moto package version serving it. */
  version: string;
}

const PACKAGE = 'python3-moto';
// moto's dependencies are Debian's python3-* packages (host-packages.ts), installed for the
// system interpreter; a python3 earlier on PATH (pyenv, a venv) would not see them.
const PYTHON = '/usr/bin/python3';

/**
 * A real EC2 API endpoint: Debian trixie's python3-moto (pure Python) on bookworm's Python.
 * The .deb comes through bake's own private apt configuration (the machine's apt sources are
 * never touched), unpacked under `cacheDir/moto/<deb sha256>` and reused while it is the same.
 */
export async function startMoto(dirs: { cacheDir: string; aptDir: string }, logger: Logger): Promise<MotoService> {
  const { root, version } = await unpackedMoto(dirs, logger);
  const port = await freePort();
  const proc = startBackground(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    logFile: join(dirs.cacheDir, 'moto', 'moto.log'),
    env: { ...process.env, PYTHONPATH: join(root, 'usr', 'lib', 'python3', 'dist-packages') },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady('moto server', proc, async () => (await fetch(`${endpoint}/moto-api/`)).ok, 60_000);
  return { endpoint, process: proc, version };
}

export async function stopMoto(service: MotoService): Promise<void> {
  await stopBackground(service.process);
}

async function unpackedMoto(
  dirs: { cacheDir: string; aptDir: string },
  logger: Logger,
): Promise<{ root: string; version: string }> {
  const apt = createPrivateApt({
    dir: dirs.aptDir,
    archiveUri: await findDebianArchiveUri({ env: process.env }),
    logger,
  });
  const candidates = parsePackagesIndex(await apt.show([PACKAGE])).filter((p) => p.package === PACKAGE);
  const deb = candidates.sort((a, b) => compareDebianVersions(b.version, a.version))[0];
  if (!deb) throw new Error(`${PACKAGE} is not in the Debian suites bake's private apt knows`);
  const root = join(dirs.cacheDir, 'moto', deb.sha256.slice(0, 16));
  const complete = join(root, '.complete');
  if (await exists(complete)) return { root, version: deb.version };

  const work = `${root}.tmp-${process.pid}`;
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  try {
    await apt.download([`${PACKAGE}=${deb.version}`], work);
    const file = join(
      work,
      (await fs.readdir(work)).find((f) => f.endsWith('.deb'))!,
    );
    const { sha256 } = await sha256File(file);
    if (sha256 !== deb.sha256) throw new Error(`${file} has sha256 ${sha256}, the signed index says ${deb.sha256}`);
    const unpack = await runCommand('dpkg', ['-x', file, join(work, 'tree')]);
    if (unpack.code !== 0) throw new Error(`dpkg -x ${file}: ${unpack.stderr.trim()}`);
    await fs.writeFile(join(work, 'tree', '.complete'), `${deb.version}\n`);
    await fs.rm(root, { recursive: true, force: true });
    await fs.rename(join(work, 'tree'), root);
    logger.info(`${PACKAGE} ${deb.version} unpacked in ${root}`);
    return { root, version: deb.version };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}

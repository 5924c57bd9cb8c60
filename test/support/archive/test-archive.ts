import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join, normalize } from 'node:path';

/**
 * A signed Debian repository made with Debian's own tools: dpkg-deb builds the packages,
 * apt-ftparchive the Packages and Release files, gpg signs InRelease with a test key. It plays
 * the suite's security archive, so publishing a newer version is what a security update is.
 */
export interface TestArchive {
  dir: string;
  suite: string;
  /** The test key's public keyring (binary, `.gpg`), for BAKE_DEBIAN_KEYRING. */
  keyring: string;
  uri?: string;
}

const run = (command: string, args: string[], cwd?: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export async function createTestArchive(root: string, suite: string): Promise<TestArchive & { gnupg: string }> {
  const gnupg = join(root, 'gnupg');
  await fs.mkdir(gnupg, { recursive: true, mode: 0o700 });
  await generateKey(gnupg, 'bake test archive <archive@example.test>');
  const keyring = join(root, 'bake-test-archive.gpg');
  await fs.writeFile(
    keyring,
    execFileSync('gpg', ['--homedir', gnupg, '--export'], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const dir = join(root, 'archive');
  await fs.mkdir(join(dir, 'pool', 'main'), { recursive: true });
  return { dir, suite, keyring, gnupg };
}

export async function generateKey(gnupg: string, uid: string): Promise<void> {
  run('gpg', [
    '--homedir',
    gnupg,
    '--batch',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-gen-key',
    uid,
    'ed25519',
    'sign',
    'never',
  ]);
}

/** A small real package (a file that names its version), as dpkg-deb builds it. */
export async function buildPackage(archive: TestArchive, name: string, version: string): Promise<string> {
  const tree = join(archive.dir, '..', `build-${name}-${version}`);
  await fs.rm(tree, { recursive: true, force: true });
  await fs.mkdir(join(tree, 'DEBIAN'), { recursive: true });
  await fs.mkdir(join(tree, 'usr', 'share', name), { recursive: true });
  await fs.writeFile(join(tree, 'usr', 'share', name, 'version'), `${version}\n`);
  await fs.writeFile(
    join(tree, 'DEBIAN', 'control'),
    [
      `Package: ${name}`,
      `Version: ${version}`,
      'Architecture: all',
      'Maintainer: bake tests <tests@example.test>',
      'Priority: optional',
      'Section: misc',
      `Description: marker package of bake's archive tests`,
      '',
    ].join('\n'),
  );
  const deb = join(archive.dir, 'pool', 'main', `${name}_${version}_all.deb`);
  run('dpkg-deb', ['--root-owner-group', '--build', tree, deb]);
  await fs.rm(tree, { recursive: true, force: true });
  return deb;
}

/** Regenerates the indexes from the pool and signs them (with `gnupg`, the test key unless told otherwise). */
export async function publish(archive: TestArchive, gnupg: string): Promise<void> {
  const dists = join(archive.dir, 'dists', archive.suite);
  const packages = run('apt-ftparchive', ['packages', 'pool'], archive.dir);
  for (const arch of ['amd64', 'arm64']) {
    const indexDir = join(dists, 'main', `binary-${arch}`);
    await fs.mkdir(indexDir, { recursive: true });
    await fs.writeFile(join(indexDir, 'Packages'), packages);
    run('sh', ['-c', 'gzip -9nkf Packages'], indexDir);
  }
  await fs.rm(join(dists, 'Release'), { force: true });
  const release = run(
    'apt-ftparchive',
    [
      '-o',
      `APT::FTPArchive::Release::Suite=${archive.suite}`,
      '-o',
      `APT::FTPArchive::Release::Codename=${archive.suite}`,
      '-o',
      'APT::FTPArchive::Release::Architectures=amd64 arm64',
      '-o',
      'APT::FTPArchive::Release::Components=main',
      'release',
      '.',
    ],
    dists,
  );
  await fs.writeFile(join(dists, 'Release'), release);
  run('gpg', [
    '--homedir',
    gnupg,
    '--batch',
    '--yes',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--clearsign',
    '--output',
    join(dists, 'InRelease'),
    join(dists, 'Release'),
  ]);
}

/**
 * The docker bridge's address: image builds (RUN steps) reach the host there, and the host
 * itself too, so apt on the host and apt in builds use the same archive URI.
 */
export function bridgeAddress(bridge = 'docker0'): string | undefined {
  // Node lists only interfaces with a carrier, and the bridge has none while no container runs.
  const listed = networkInterfaces()[bridge]?.find((a) => a.family === 'IPv4')?.address;
  if (listed) return listed;
  try {
    return /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(run('ip', ['-4', '-o', 'addr', 'show', bridge]))?.[1];
  } catch {
    return undefined;
  }
}

/** Serves the archive's files over http on `address` (any free port). */
export async function serveArchive(archive: TestArchive, address: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    fs.readFile(join(archive.dir, path))
      .then((body) => {
        res.writeHead(200, { 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch(() => {
        res.writeHead(404);
        res.end();
      });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, address, () => resolve()));
  const port = (server.address() as { port: number }).port;
  archive.uri = `http://${address}:${port}`;
  return server;
}

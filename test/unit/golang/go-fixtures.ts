// Synthetic Go distributions, indexes, keys and mirrors, built at test time in temp dirs.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as openpgp from 'openpgp';
import { pack } from 'tar-stream';
import type { Logger } from '../../../bake/common/log';
import type { Arch } from '../../../bake/recipe/types';
import type { GoRelease, GoReleaseIndex, GoVersionPolicy, TrustedKey } from '../../../bake/golang/types';

export interface TestKey {
  trusted: TrustedKey;
  privateKey: openpgp.PrivateKey;
  armoredPublicKey: string;
  armoredPrivateKey: string;
}

export async function makeTestKey(name: string): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name, email: `${name.toLowerCase().replace(/\W+/g, '-')}@example.test` }],
    format: 'object',
  });
  return {
    privateKey,
    armoredPublicKey: publicKey.armor(),
    armoredPrivateKey: privateKey.armor(),
    trusted: {
      fingerprint: publicKey.getFingerprint(),
      userId: publicKey.getUserIDs()[0],
      source: `test key ${name}`,
      key: publicKey,
    },
  };
}

export async function signDetached(data: Uint8Array | string, key: TestKey): Promise<string> {
  const binary = typeof data === 'string' ? Buffer.from(data) : data;
  const message = await openpgp.createMessage({ binary });
  return openpgp.sign({ message, signingKeys: key.privateKey, detached: true, format: 'armored' }) as Promise<string>;
}

export function keyIdOf(key: TestKey): string {
  return key.trusted.key.getKeyID().toHex().toUpperCase();
}

/** A tiny but real gzip'd tar in the official layout (go/VERSION, go/bin/go), a few KB. */
export async function fakeGoArchive(goVersion: string, arch: Arch): Promise<Buffer> {
  const tar = pack();
  const mtime = new Date('2025-01-01T00:00:00Z');
  tar.entry({ name: 'go/VERSION', mtime }, `${goVersion}\ntime 2025-01-01T00:00:00Z\n`);
  // Incompressible filler, so the archive has a realistic few-KB size and every byte matters.
  const filler = createHash('sha512').update(`${goVersion}/${arch}`).digest();
  tar.entry(
    { name: 'go/bin/go', mode: 0o755, mtime },
    Buffer.concat(Array.from({ length: 64 }, (_, i) => createHash('sha512').update(filler).update(String(i)).digest())),
  );
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ReleaseSpec {
  version: string;
  stable?: boolean;
  arches?: Arch[];
}

export interface BuiltReleases {
  index: GoReleaseIndex;
  archives: Map<string, Buffer>;
}

/** Releases with real fake archives, described as the official index describes them. */
export async function buildReleases(specs: ReleaseSpec[]): Promise<BuiltReleases> {
  const archives = new Map<string, Buffer>();
  const index: GoRelease[] = [];
  for (const spec of specs) {
    const files = [];
    for (const arch of spec.arches ?? (['amd64', 'arm64'] as Arch[])) {
      const filename = `${spec.version}.linux-${arch}.tar.gz`;
      const data = await fakeGoArchive(spec.version, arch);
      archives.set(filename, data);
      files.push({
        filename,
        os: 'linux',
        arch,
        version: spec.version,
        sha256: sha256(data),
        size: data.length,
        kind: 'archive' as const,
      });
    }
    files.push({
      filename: `${spec.version}.src.tar.gz`,
      os: '',
      arch: '',
      version: spec.version,
      sha256: sha256(spec.version),
      size: 1,
      kind: 'source' as const,
    });
    index.push({ version: spec.version, stable: spec.stable ?? true, files });
  }
  return { index, archives };
}

export const DEFAULT_RELEASES: ReleaseSpec[] = [
  { version: 'go1.23.5' },
  { version: 'go1.23rc1', stable: false },
  { version: 'go1.22.12' },
  { version: 'go1.22.10' },
  { version: 'go1.22' },
];

export interface TestMirror extends BuiltReleases {
  dir: string;
  sums: string;
}

/** An offline mirror in the fixed layout, SHA256SUMS signed by `key`. */
export async function writeMirror(dir: string, built: BuiltReleases, key: TestKey): Promise<TestMirror> {
  await fs.mkdir(dir, { recursive: true });
  const indexJson = JSON.stringify(built.index, null, 1);
  await fs.writeFile(join(dir, 'index.json'), indexJson);
  const lines = [`${sha256(indexJson)}  index.json`];
  for (const [name, data] of built.archives) {
    await fs.writeFile(join(dir, name), data);
    lines.push(`${sha256(data)}  ${name}`);
  }
  const sums = lines.sort().join('\n') + '\n';
  await fs.writeFile(join(dir, 'SHA256SUMS'), sums);
  await fs.writeFile(join(dir, 'SHA256SUMS.asc'), await signDetached(sums, key));
  return { ...built, dir, sums };
}

const created: string[] = [];

/** A fresh temp dir, removed after the test file that asked for it. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), `bake-${prefix}-`));
  created.push(dir);
  return dir;
}

// Registered when a test file imports this module, so every file cleans up its own dirs.
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

export async function listCache(cacheDir: string): Promise<string[]> {
  return fs.readdir(join(cacheDir, 'sha256')).catch(() => []);
}

/** A policy like recipes/policy.yaml, with dates tests can reason about. */
export const TEST_POLICY: GoVersionPolicy = {
  // Only the listed lines, so tests do not depend on which Go releases upstream has made.
  upstreamLines: 0,
  lines: [
    { line: '1.21', minimumPatch: '1.21.13', recommended: '1.21.13', endOfSupport: '2025-02-11' },
    { line: '1.22', minimumPatch: '1.22.10', recommended: '1.22.12', endOfSupport: '2027-06-30' },
    { line: '1.23', minimumPatch: '1.23.5', recommended: '1.23.5', endOfSupport: '2027-12-31' },
  ],
};

export const NOW = new Date('2026-01-15T12:00:00Z');

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), debug: () => {} };
}

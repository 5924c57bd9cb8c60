import type { Readable } from 'node:stream';
import { sha256Hex } from '../common/sha256';
import { copyrightPackage, dep5Licenses, docDirPackage, isDpkgDatabase, parseDpkgDatabase } from './dpkg-database';
import { readGoBuildInfo, type GoBuildInfo } from './go-buildinfo';
import { scanImageFilesystem, type FilesystemScan, type KeptEntry } from './image-filesystem';
import { isRpmDatabase } from './rpm-database';
import type { GoBinary, GoDistributionInfo, ImageContents, OsPackage } from './types';

/** What the SBOM scan keeps of a file. */
type Found =
  | { kind: 'dpkg'; text: string }
  | { kind: 'copyright'; licenses: string[] }
  | { kind: 'os-release'; text: string }
  | { kind: 'go-version'; text: string }
  | { kind: 'rpmdb' }
  | { kind: 'go-binary'; info: GoBuildInfo; sha256: string };

const OS_RELEASE = ['/etc/os-release', '/usr/lib/os-release'];
/** Where Go distributions are unpacked: bake's `/usr/local/go`, and the usual others. */
const GOROOT_VERSION = /^\/(usr\/local|usr\/lib|opt)\/go[^/]*\/VERSION$/;
const TEXT_MAX = 64 * 1024 * 1024;
const COPYRIGHT_MAX = 2 * 1024 * 1024;
/** Larger executables are not read for build info (no Go binary of a base image comes near it). */
const BINARY_MAX = 512 * 1024 * 1024;

/** The image as the engine describes it: what an SBOM says about the image itself. */
export interface ImageMetadata {
  id: string;
  ref: string;
  os: string;
  architecture: string;
  created: string;
  labels: Record<string, string>;
}

const SCAN: FilesystemScan<Found> = {
  select: (path, { size, mode }) =>
    (isDpkgDatabase(path) && size <= TEXT_MAX) ||
    (copyrightPackage(path) !== undefined && size <= COPYRIGHT_MAX) ||
    (OS_RELEASE.includes(path) && size <= COPYRIGHT_MAX) ||
    (GOROOT_VERSION.test(path) && size <= 4096) ||
    (isRpmDatabase(path) && size <= BINARY_MAX) ||
    ((mode & 0o111) !== 0 && size >= 1024 && size <= BINARY_MAX),
  read: (path, bytes): Found | undefined => {
    if (isDpkgDatabase(path)) return { kind: 'dpkg', text: bytes.toString('utf8') };
    if (copyrightPackage(path) !== undefined)
      return { kind: 'copyright', licenses: dep5Licenses(bytes.toString('utf8')) };
    if (OS_RELEASE.includes(path)) return { kind: 'os-release', text: bytes.toString('utf8') };
    if (GOROOT_VERSION.test(path)) return { kind: 'go-version', text: bytes.toString('utf8') };
    if (isRpmDatabase(path)) return { kind: 'rpmdb' };
    const info = readGoBuildInfo(bytes);
    return info ? { kind: 'go-binary', info, sha256: sha256Hex(bytes) } : undefined;
  },
  keepLink: (path) => docDirPackage(path) !== undefined || OS_RELEASE.includes(path),
};

/**
 * Everything an SBOM lists, read from the image's own layers (never by running it, so an
 * image without a shell or package manager is read the same way): the distribution's
 * packages from dpkg's status file and status.d directory, their licenses from their DEP-5
 * copyright files, the Go distribution (bake's labels, else `$GOROOT/VERSION`), and every Go
 * binary's embedded build info.
 */
export async function readImageContents(exported: Readable, image: ImageMetadata): Promise<ImageContents> {
  const { files } = await scanImageFilesystem(exported, SCAN);
  const notes: string[] = [];
  const found = (path: string): Found | undefined => {
    const entry = files.get(path);
    return entry?.type === 'file' ? entry.value : undefined;
  };
  const packages = dpkgPackages(files, found);
  for (const [path, entry] of files)
    if (entry.type === 'file' && entry.value.kind === 'rpmdb')
      notes.push(`the rpm database ${path} is not read: bake reads dpkg databases only (see README, "SBOM")`);
  const goBinaries: GoBinary[] = [];
  for (const [path, entry] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.type !== 'file' || entry.value.kind !== 'go-binary') continue;
    const { info, sha256 } = entry.value;
    goBinaries.push({ path, sha256, ...info });
  }
  return {
    image: { ...image },
    ...distroOf(found),
    packages,
    ...goDistribution(image.labels, files),
    goBinaries,
    notes,
  };
}

function dpkgPackages(files: Map<string, KeptEntry<Found>>, found: (path: string) => Found | undefined): OsPackage[] {
  const byKey = new Map<string, OsPackage>();
  const databases = [...files.keys()].filter((p) => found(p)?.kind === 'dpkg').sort();
  for (const database of databases) {
    const text = (found(database) as { text: string }).text;
    for (const pkg of parseDpkgDatabase(text, database)) {
      const key = `${pkg.name}:${pkg.arch}`;
      if (!byKey.has(key)) byKey.set(key, { ...pkg, licenses: licensesOf(pkg.name, files) });
    }
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.arch.localeCompare(b.arch));
}

/** The package's copyright file, following a `/usr/share/doc/<pkg>` symlink to the package that ships it. */
function licensesOf(name: string, files: Map<string, KeptEntry<Found>>): string[] {
  let dir = name;
  for (let hops = 0; hops < 4; hops++) {
    const copyright = files.get(`/usr/share/doc/${dir}/copyright`);
    if (copyright?.type === 'file' && copyright.value.kind === 'copyright') return copyright.value.licenses;
    const link = files.get(`/usr/share/doc/${dir}`);
    if (link?.type !== 'symlink') return [];
    dir = link.target.replace(/\/+$/, '').split('/').pop() ?? '';
  }
  return [];
}

function distroOf(found: (path: string) => Found | undefined): Pick<ImageContents, 'distro'> {
  const path = OS_RELEASE.find((p) => found(p)?.kind === 'os-release');
  const text = path ? (found(path) as { text: string }).text : undefined;
  if (!text) return {};
  const fields = Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2].replace(/^"(.*)"$/, '$1')]),
  );
  if (!fields.ID) return {};
  return {
    distro: {
      id: fields.ID,
      ...(fields.VERSION_ID ? { versionId: fields.VERSION_ID } : {}),
      ...(fields.PRETTY_NAME ? { prettyName: fields.PRETTY_NAME } : {}),
    },
  };
}

/** bake's labels name the verified archive; any other image may still say which Go it has. */
function goDistribution(
  labels: Record<string, string>,
  files: Map<string, KeptEntry<Found>>,
): { go?: GoDistributionInfo } {
  const version = labels['io.bake.go.version'];
  // The runtime image carries the target's labels but no Go: only a tree with Go in it lists one.
  const hasGo = [...files].some(
    ([path, e]) =>
      e.type === 'file' &&
      (e.value.kind === 'go-version' || (e.value.kind === 'go-binary' && /^\/usr\/local\/go\/bin\/go$/.test(path))),
  );
  if (version && hasGo)
    return {
      go: {
        version,
        ...(labels['io.bake.go.sha256'] ? { sha256: labels['io.bake.go.sha256'] } : {}),
        ...(labels['io.bake.go.source'] ? { source: labels['io.bake.go.source'] } : {}),
        ...(labels['io.bake.go.filename'] ? { filename: labels['io.bake.go.filename'] } : {}),
        evidence: 'the io.bake.go.* labels',
      },
    };
  for (const [path, entry] of files) {
    if (entry.type !== 'file' || entry.value.kind !== 'go-version') continue;
    const m = /^go(\d+\.\d+(?:\.\d+)?)\b/.exec(entry.value.text.trim());
    if (m) return { go: { version: m[1], evidence: path } };
  }
  return {};
}

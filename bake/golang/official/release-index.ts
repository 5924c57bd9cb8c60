import { z } from 'zod';
import { BakeError, ExitCode } from '../../common/errors';
import type { Arch } from '../../recipe/types';
import type { GoRelease, GoReleaseFile, GoReleaseIndex } from '../types';

/** The official index URL; `include=all` lists every release, not only the two newest. */
export const OFFICIAL_INDEX_URL = 'https://go.dev/dl/?mode=json&include=all';

const FILE_KINDS = ['archive', 'installer', 'source'] as const;

// Objects are not strict: go.dev may add fields, and an added field must not break every bake.
const fileSchema = z.object({
  filename: z
    .string()
    .min(1)
    .regex(/^[^/\\]+$/, 'a plain file name'),
  os: z.string(),
  arch: z.string(),
  version: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256'),
  size: z.number().int().nonnegative(),
  kind: z.string(),
});

const indexSchema = z.array(
  z.object({
    version: z.string().min(1),
    stable: z.boolean(),
    files: z.array(fileSchema),
  }),
);

/**
 * Validates an index in the official `?mode=json&include=all` format.
 * `source` names where it came from (URL, mirror file) so a malformed index is traceable.
 * Files of a kind this code does not know are dropped rather than rejected, for the same
 * reason the objects are not strict.
 */
export function parseReleaseIndex(input: unknown, source: string): GoReleaseIndex {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw new BakeError(
        `malformed Go release index from ${source}: not JSON (${(err as Error).message})`,
        ExitCode.Failure,
      );
    }
  }
  const result = indexSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.') || '(top level)';
    throw new BakeError(`malformed Go release index from ${source}: ${path}: ${issue.message}`, ExitCode.Failure);
  }
  return result.data.map((release) => ({
    ...release,
    files: release.files.filter((f): f is GoReleaseFile => (FILE_KINDS as readonly string[]).includes(f.kind)),
  }));
}

/** The official name of a release's Linux tarball: "go1.22.12.linux-arm64.tar.gz". */
export function linuxArchiveName(goVersion: string, arch: Arch): string {
  return `${goVersion}.linux-${arch}.tar.gz`;
}

/** The release's Linux tarball for `arch`, if it has one. */
export function findLinuxArchive(release: GoRelease, arch: Arch): GoReleaseFile | undefined {
  const name = linuxArchiveName(release.version, arch);
  return release.files.find((f) => f.kind === 'archive' && f.os === 'linux' && f.arch === arch && f.filename === name);
}

/** The index reduced to the releases with a Linux tarball for `arch`, each with only that file. */
export function linuxArchivesFor(index: GoReleaseIndex, arch: Arch): GoReleaseIndex {
  return index.flatMap((release) => {
    const file = findLinuxArchive(release, arch);
    return file ? [{ ...release, files: [file] }] : [];
  });
}

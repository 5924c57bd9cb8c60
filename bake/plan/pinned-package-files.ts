import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import type { Target } from '../recipe/types';
import { type OsPackagesContext, privateApt } from './os-packages';
import type { PinnedPackage } from './types';

/**
 * Downloads the .deb file of every pin into `destDir` (empty) with the private apt the pins
 * were resolved with: apt checks each file against the suite's signed index before it is
 * kept. Returns the file names, one per pin.
 */
export async function downloadPinnedPackages(
  ctx: OsPackagesContext,
  target: Target,
  pins: PinnedPackage[],
  destDir: string,
): Promise<string[]> {
  const suite = target.base.bootstrap?.suite;
  if (!suite) throw new BakeError(`${target.name}: no archive suite to download its packages from`, ExitCode.Failure);
  const apt = await privateApt(ctx, suite);
  const specs = pins.map((p) => (p.arch === 'all' ? `${p.name}=${p.version}` : `${p.name}:${p.arch}=${p.version}`));
  const started = Date.now();
  // A failed signature or hash keeps its own exit code (Untrusted); the rest is Unavailable.
  await apt.download(specs, destDir).catch((err: Error) => {
    const code = err instanceof BakeError && err.exitCode === ExitCode.Untrusted ? err.exitCode : ExitCode.Unavailable;
    throw new BakeError(`${target.name}: downloading its pinned packages: ${err.message}`, code);
  });
  const files = (await fs.readdir(destDir)).filter((f) => f.endsWith('.deb')).sort();
  if (files.length !== pins.length)
    throw new BakeError(
      `${target.name}: apt-get download gave ${files.length} files for ${pins.length} packages`,
      ExitCode.Unavailable,
    );
  let bytes = 0;
  for (const f of files) bytes += (await fs.stat(join(destDir, f))).size;
  ctx.logger.info(
    `${target.name}: downloaded ${pins.length} pinned packages (${(bytes / 1e6).toFixed(1)} MB) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return files;
}

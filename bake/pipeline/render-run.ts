import { join } from 'node:path';
import { downloadPinnedPackages } from '../plan/pinned-package-files';
import { planTarget } from '../render/plan-target';
import { goImageContext } from '../render/go-image-context';
import { writeContext } from '../render/write-context';
import type { Target } from '../recipe/types';
import type { Session } from './session';
import { writePackagesContext } from './stage-images';

/**
 * `bake render`: plan each target and write the build context of each of its image kinds
 * (DIR/<kind>/ for one target, DIR/<target>/<kind>/ for several). Returns the directories written.
 */
export async function renderTargets(
  session: Session,
  targets: Target[],
  options: { out: string; dockerfileSyntax?: string },
): Promise<string[]> {
  const written: string[] = [];
  for (const target of targets) {
    const planned = await planTarget(session, target, { dockerfileSyntax: options.dockerfileSyntax });
    const base = targets.length === 1 ? options.out : join(options.out, target.name);
    for (const context of planned.contexts) {
      const dir = join(base, context.kind);
      await writeContext(dir, context.files);
      session.logger.info(`${target.name}: ${context.kind} context written to ${dir}`);
      written.push(dir);
      // Its pinned packages' image (PACKAGES_IMAGE) likewise, in DIR/<kind>-packages.
      const { packages } = context;
      if (packages) {
        const packagesDir = `${dir}-packages`;
        await writePackagesContext(packagesDir, (into) => downloadPinnedPackages(session, target, packages.pins, into));
        session.logger.info(`${target.name}: ${context.kind} packages image context written to ${packagesDir}`);
        written.push(packagesDir);
      }
    }
    // The Go distribution images the Dockerfiles name (GO_IMAGE, GO_BUILD_IMAGE), as contexts
    // of their own: `docker build -t <the ARG's default> DIR/go` makes one by hand.
    const gos = [planned.dist, ...(planned.builderDist ? [planned.builderDist] : [])];
    for (const go of gos) {
      const dir = join(base, go === planned.dist ? 'go' : 'go-build');
      const { files, archive, directories } = goImageContext(go, go.path);
      await writeContext(dir, files, archive, directories);
      session.logger.info(`${target.name}: Go ${go.version} (${go.arch}) image context written to ${dir}`);
      written.push(dir);
    }
  }
  return written;
}

import { join } from 'node:path';
import { planTarget } from '../render/plan-target';
import { writeContext } from '../render/write-context';
import type { Target } from '../recipe/types';
import type { Session } from './session';

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
    const { dist, contexts } = await planTarget(session, target, { dockerfileSyntax: options.dockerfileSyntax });
    const base = targets.length === 1 ? options.out : join(options.out, target.name);
    for (const context of contexts) {
      const dir = join(base, context.kind);
      await writeContext(dir, context, dist.path);
      session.logger.info(`${target.name}: ${context.kind} context written to ${dir}`);
      written.push(dir);
    }
  }
  return written;
}

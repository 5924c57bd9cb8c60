import { BakeError, ExitCode, errorMessage } from '../common/errors';
import { planTarget } from '../render/plan-target';
import type { PlanContext } from '../plan/types';
import type { Target } from '../recipe/types';
import type { CatalogStore } from '../registry/types';
import { imageChanges, newestVetted } from './image-changes';
import type { OutdatedImage, OutdatedReport } from './types';

/**
 * `bake outdated`: today's plan of each target against the newest vetted image of each kind
 * in the catalog. An image is behind when its inputs differ from today's (a Go patch, the
 * base, a package, the recipe); targets never vetted are listed apart and are not "behind".
 */
export async function findOutdated(input: {
  ctx: PlanContext;
  targets: Target[];
  catalog: CatalogStore;
}): Promise<OutdatedReport> {
  const report: OutdatedReport = {
    schema: 'bake.outdated/v1',
    location: input.catalog.location,
    behind: [],
    current: [],
    notVetted: [],
    failed: [],
  };
  for (const target of input.targets) {
    let plan;
    try {
      plan = (await planTarget(input.ctx, target)).plan;
    } catch (err) {
      // A bad signature must stop the command, as it stops a plan; an unreachable source is reported.
      if (err instanceof BakeError && err.exitCode === ExitCode.Untrusted) throw err;
      report.failed.push({ target: target.name, message: errorMessage(err) });
      continue;
    }
    const doc = await input.catalog.read(target.name);
    for (const kind of target.kinds) {
      const vetted = newestVetted(doc, kind);
      if (!vetted) {
        report.notVetted.push(`${target.name}/${kind}`);
      } else if (vetted.inputsDigest === plan.inputsDigest) {
        report.current.push(`${target.name}/${kind}`);
      } else {
        const image: OutdatedImage = {
          target: target.name,
          kind,
          image: `${vetted.repository}:${vetted.tag}`,
          vettedInputs: vetted.inputsDigest,
          todayInputs: plan.inputsDigest,
          changes: imageChanges(plan, kind, vetted),
        };
        report.behind.push(image);
      }
    }
  }
  return report;
}

import { BakeError, ExitCode, errorMessage } from '../common/errors';
import { planTarget } from '../render/plan-target';
import type { PlanContext } from '../plan/types';
import type { Target } from '../recipe/types';
import { isoDay, waiversEndingSoon } from '../recipe/waiver-dates';
import { expiredWaiver } from '../registry/catalog-entry';
import type { CatalogStore } from '../registry/types';
import { imageChanges, newestVetted } from './image-changes';
import type { OutdatedImage, OutdatedReport } from './types';

/**
 * `bake outdated`: today's plan of each target against the newest vetted image of each kind
 * in the catalog. An image is behind when its inputs differ from today's (a Go patch, the
 * base, a package, the recipe), or when its verdict relied on a waiver that has expired since;
 * targets never vetted are listed apart and are not "behind". The recipes' waivers that expire
 * within 30 days are listed too, before they start gating.
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
    waivers: [],
  };
  const today = isoDay(input.ctx.now);
  for (const target of input.targets) {
    const ending = waiversEndingSoon(target.checks.waive ?? [], input.ctx.now);
    if (ending.length) report.waivers.push({ target: target.name, waivers: ending });
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
      } else if (vetted.inputsDigest === plan.inputsDigest && !expiredWaiver(vetted.waivers, today)) {
        report.current.push(`${target.name}/${kind}`);
      } else if (vetted.inputsDigest === plan.inputsDigest) {
        const expired = expiredWaiver(vetted.waivers, today)!;
        report.behind.push({
          target: target.name,
          kind,
          image: `${vetted.repository}:${vetted.tag}`,
          vettedInputs: vetted.inputsDigest,
          todayInputs: plan.inputsDigest,
          changes: [`vetted under a waiver of ${expired.id} that expired after ${expired.until}`],
        });
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

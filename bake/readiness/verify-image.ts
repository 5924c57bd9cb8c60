import type Dockerode from 'dockerode';
import type { Logger } from '../common/log';
import type { Plan } from '../plan/types';
import type { ImageKind } from '../recipe/types';
import { IMAGE_CHECKS, selectChecks } from './default-checks';
import { ContainerDriver } from './drivers/container-driver';
import { imageArtifact } from './drivers/image-driver';
import { withImageStat } from './drivers/stat-driver';
import { buildExpectations } from './expectations';
import { runSuite } from './suite';
import type { Report } from './types';

export interface VerifyImageInput {
  docker: Dockerode;
  /** Image id or reference. */
  image: string;
  kind: ImageKind;
  /** The plan the image must conform to (bake's own, or the one `bake verify --target` makes). */
  plan: Plan;
  /** The verified Go archive the plan names, for the go binary's expected hash. */
  goArchivePath: string;
  /** bake's readiness probe for the plan's platform (the builder stage's), copied into the check container. */
  probe: Buffer;
  /** Labels the check containers, so an interrupted run's containers can be found and removed. */
  runId: string;
  /** The day the recipe's waivers are judged on: the run's, from the caller. */
  now: Date;
  logger: Logger;
}

/** Runs the readiness suite of `kind` (as the recipe adjusts it) against one image. */
export async function verifyImage(input: VerifyImageInput): Promise<Report> {
  const { plan, kind, logger } = input;
  const { checks, skipped } = selectChecks(IMAGE_CHECKS, kind, plan.target.checks, plan.target.recipe);
  const expect = await buildExpectations(plan, kind, input.goArchivePath);
  const artifact = await imageArtifact(input.docker, input.image, kind);
  const container = await ContainerDriver.start(input.docker, input.image, {
    runId: input.runId,
    logger,
    probe: input.probe,
  });
  const driver = withImageStat(container, input.docker, input.image, input.runId);
  const waivers = { waivers: plan.target.checks.waive ?? [], today: input.now };
  try {
    return await runSuite({ checks, skipped, driver, expect, logger, artifact, waivers });
  } finally {
    await driver.close();
  }
}

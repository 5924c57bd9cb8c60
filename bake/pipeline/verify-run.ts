import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { connectEngine } from '../engine/daemon/embedded-engine';
import { planTarget } from '../render/plan-target';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import { writeReport, type ReportFiles } from '../readiness/report-files';
import type { Report } from '../readiness/types';
import { verifyImage } from '../readiness/verify-image';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import { parseWord } from '../recipe/vocabulary-word';
import type { ImageKind, Target } from '../recipe/types';
import { catalogRecords } from '../registry/catalog-records';
import { assertNotRevoked, revocationOf } from '../registry/revocation';
import type { CatalogStore } from '../registry/types';
import { throwIfInterrupted, withInterrupts } from './interrupts';
import { ensureStageImages, readProbe } from './stage-images';
import type { Session } from './session';

export interface VerifyRunInput {
  session: Session;
  target: Target;
  image: string;
  /** Default: the image's io.bake.kind label, else toolchain. */
  kind?: ImageKind;
  engine?: string;
  /** Default: STATE/reports/verify/<target>/<kind>. */
  reportDir?: string;
  /** Catalogs whose revocations the image is checked against first (this machine's, a registry's). */
  catalogs?: CatalogStore[];
}

/** `bake verify`: a target's readiness suite against any image in the engine, its report written. */
export async function runVerify(input: VerifyRunInput): Promise<{ report: Report; files: ReportFiles }> {
  const { session, target, image } = input;
  const engine = await connectEngine({ stateDir: session.stateDir, logger: session.logger, endpoint: input.engine });
  const details = await engine.inspectImage(image);
  if (!details)
    throw new BakeError(
      `image ${image} is not in the engine at ${engine.endpoint}`,
      ExitCode.Usage,
      'pull or build it first',
    );
  // A revoked image is refused before anything runs: no report could make it usable again.
  for (const catalog of input.catalogs ?? []) {
    const revoked = revocationOf((await catalogRecords(catalog)).images, {
      id: details.id,
      repoDigests: details.digests,
    });
    if (revoked) assertNotRevoked(revoked, image, catalog.location);
  }
  const kind =
    input.kind ??
    parseWord(
      details.labels['io.bake.kind'] ?? 'toolchain',
      IMAGE_KINDS,
      'image kind',
      `the io.bake.kind label of ${image}`,
    );
  const planned = await planTarget(session, target);
  const runId = randomBytes(6).toString('hex');
  const workDir = join(session.cacheDir, 'work', runId);
  const report = await withInterrupts(
    {
      logger: session.logger,
      cleanup: async () => {
        await removeReadinessContainers(engine.docker, runId);
        await fs.rm(workDir, { recursive: true, force: true });
      },
    },
    async (signal) => {
      // The probe the checks run comes from the plan's builder stage, built here if need be.
      await ensureStageImages(
        {
          context: planned.contexts[0],
          target,
          kinds: [],
          dist: planned.dist,
          builderDist: planned.builderDist,
          platform: `linux/${target.arch}`,
          label: target.name,
        },
        { engine, workDir, logger: session.logger, signal },
      ).finally(() => fs.rm(workDir, { recursive: true, force: true }));
      const probe = await readProbe(engine, planned.contexts[0].images);
      const verified = await verifyImage({
        docker: engine.docker,
        image,
        kind,
        plan: planned.plan,
        goArchivePath: planned.dist.path,
        probe,
        runId,
        now: session.now,
        logger: session.logger,
      });
      throwIfInterrupted(signal, `verifying ${image}`);
      return verified;
    },
  );
  const files = await writeReport(
    input.reportDir ?? join(session.stateDir, 'reports', 'verify', target.name, kind),
    report,
  );
  return { report, files };
}

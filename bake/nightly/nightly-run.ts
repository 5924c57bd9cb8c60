import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { withFileLock } from '../common/file-lock';
import { sha256Hex } from '../common/sha256';
import type { EngineChoice } from '../engine/daemon/types';
import { runBuild } from '../pipeline/build-run';
import type { ModuleAccess } from '../pipeline/types';
import type { Session } from '../pipeline/session';
import type { BuildkitRequest, TargetProgress } from '../pipeline/types';
import type { Target } from '../recipe/types';
import { localCatalog } from '../registry/open-registry';
import type { PublishTarget } from '../registry/publish-run';
import { vettedInCatalog } from './catalog-check';
import { writeNightlyFiles, type NightlyFiles } from './nightly-files';
import { nightlySummary, type NightlySummary } from './nightly-summary';
import { explainRebuilds } from './rebuild-reasons';

/** Nightly AMI bakes wait as long as `bake ami` does by default. */
const AMI_TIMEOUTS = { provisionMs: 30 * 60_000, consoleMs: 2 * 60_000, stateMs: 15 * 60_000, pollMs: 10_000 };

export interface NightlyRunInput {
  session: Session;
  targets: Target[];
  remote?: PublishTarget;
  /** With `remote`: the cosign key that signs what is published. */
  signKey?: string;
  engines: EngineChoice;
  concurrency: number;
  tagPrefix: string;
  force: boolean;
  /** Registry build cache shared by CI shards and builders, and provenance (see BuildkitRequest). */
  buildkit?: BuildkitRequest;
  /** The module proxy and credential for recipes with module tools. */
  modules?: ModuleAccess;
  /** Wait for another nightly of the same catalog instead of exiting. */
  wait: boolean;
  /** Where summary.md, nightly.json, junit.xml and the readiness reports go; default STATE/nightly. */
  reportDir?: string;
  shard?: string;
  ami?: { region?: string; endpoint?: string; goBaseUrl?: string; copyTo: string[] };
  onProgress?: TargetProgress;
  /** When the run started (before the bases were refreshed and the session opened): the summary's times. */
  startedAt: Date;
}

export interface NightlyRun {
  summary: NightlySummary;
  markdown: string;
  files: NightlyFiles;
}

/**
 * `bake nightly`: one run per catalog at a time (a lock file), bake what changed and skip what
 * the catalog has vetted, say why each target rebuilt, bake AMIs when asked, and write the
 * run's summary (markdown for a CI job summary, JSON, JUnit XML).
 */
export async function runNightly(input: NightlyRunInput): Promise<NightlyRun> {
  const { session } = input;
  const { logger } = session;
  const catalog = input.remote?.catalog ?? localCatalog(session.stateDir);
  const lockFile = join(session.stateDir, 'locks', `nightly-${sha256Hex(catalog.location).slice(0, 16)}.lock`);
  const reportDir = input.reportDir ?? join(session.stateDir, 'nightly');

  const results = await withFileLock(
    lockFile,
    async () => {
      const baked = await runBuild(session, input.targets, {
        engines: input.engines,
        concurrency: input.concurrency,
        tagPrefix: input.tagPrefix,
        reportDir,
        force: input.force,
        noCache: false,
        buildkit: input.buildkit,
        modules: input.modules,
        remote: input.remote,
        signKey: input.signKey,
        alreadyVetted: vettedInCatalog(catalog, session.now, input.remote?.client),
        onProgress: input.onProgress,
      });
      await explainRebuilds(baked, catalog);
      if (input.ami) {
        // The EC2 SDK and the AMI flow load only when AMIs are asked for: a plain nightly stays quick to start.
        const [{ Ec2Sdk }, { bakeNightlyAmis }] = await Promise.all([
          import('../vm/ec2/ec2-sdk'),
          import('./nightly-amis'),
        ]);
        const ec2 = await Ec2Sdk.connect({ region: input.ami.region, endpoint: input.ami.endpoint });
        await bakeNightlyAmis({
          baked,
          ctx: session,
          ec2,
          regionApi: (region) => ec2.inRegion(region),
          catalogs: input.remote ? [catalog, localCatalog(session.stateDir)] : [catalog],
          goBaseUrl: input.ami.goBaseUrl,
          ec2Endpoint: input.ami.endpoint,
          copyTo: input.ami.copyTo,
          timeouts: AMI_TIMEOUTS,
          lockDir: join(session.stateDir, 'locks'),
          now: session.now,
          logger,
        });
      }
      return baked.map((b) => b.result);
    },
    {
      timeoutMs: input.wait ? 12 * 3600_000 : 0,
      onWait: (pid) => {
        if (!input.wait)
          throw new BakeError(
            `another bake nightly (pid ${pid}) is running for ${catalog.location}; it holds ${lockFile}`,
            ExitCode.Locked,
            'wait for it, or pass --wait',
          );
        logger.info(`waiting for bake nightly (pid ${pid}) to finish with ${catalog.location}`);
      },
    },
  );

  const summary = nightlySummary(results, {
    startedAt: input.startedAt,
    durationMs: Date.now() - input.startedAt.getTime(),
    location: catalog.location,
    shard: input.shard,
  });
  const { files, markdown } = await writeNightlyFiles(reportDir, summary, session.env.GITHUB_STEP_SUMMARY);
  return { summary, markdown, files };
}

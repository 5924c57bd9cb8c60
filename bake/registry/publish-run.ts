import { promises as fs } from 'node:fs';
import { BakeError, ExitCode, errorMessage, exitCodeOf } from '../common/errors';
import type { Logger } from '../common/log';
import { sha256Hex } from '../common/sha256';
import { retry } from '../common/retry';
import type { ImageEngine, PushAuth } from '../engine/types';
import type { Plan } from '../plan/types';
import type { Report } from '../readiness/types';
import { copyListings } from '../drift/baseline-blobs';
import { catalogImage, vettedEntry, withImage } from './catalog-entry';
import { updateCatalog } from './update-catalog';
import { updateMovingIndexes } from './moving-indexes';
import type { RegistryClient } from './registry-client';
import type { RegistryCredentials } from './registry-credentials';
import { repositoryPath, type RegistryLocation } from './remote-ref';
import { movingTagsOf } from './moving-indexes';
import { signAndAttest, type PublishSigning } from './signing/attest-image';
import type { Signer } from './signing/signer';
import type {
  CatalogImage,
  CatalogStore,
  ImageSignature,
  PublishableTarget,
  PublishOutcome,
  VettedImage,
} from './types';

/** Where a run publishes: a registry with its catalog; absent means this machine only. */
export interface PublishTarget {
  location: RegistryLocation;
  client: RegistryClient;
  credentials?: RegistryCredentials;
  catalog: CatalogStore;
}

export interface PublishInput {
  /** In the order they are published. */
  targets: PublishableTarget[];
  engineFor: (plan: Plan) => Promise<ImageEngine>;
  /** The catalog on this machine: every vetted image is recorded there, pushed or not. */
  local: CatalogStore;
  remote?: PublishTarget;
  /** Serializes catalog writes of concurrent runs on this machine. */
  lockDir: string;
  now: Date;
  logger: Logger;
  signal?: AbortSignal;
  /** Push attempts per image (the engine resumes a push: layers already there are skipped). */
  pushAttempts?: number;
  /**
   * How pushed images are proven: signed and attested with `signing.signer`; without a signer
   * they are pushed unsigned, which bake says once and the catalog records.
   */
  signing?: PublishSigning;
}

/**
 * Records and publishes what a run vetted, in the order that keeps consumers safe:
 * 1. each image is pushed under its immutable tag (retried with backoff);
 * 2. the catalog of each target is written once all its images are in the registry;
 * 3. the moving tags of each repository are pointed at multi-arch indexes last.
 * Killed at any point, the catalog and the moving tags are as before or complete; the next
 * run finds what is missing and finishes it. Returns how each target ended, in input order: a
 * failure stops only that target's publishing.
 */
export async function publishRun(input: PublishInput): Promise<PublishOutcome[]> {
  const touched = new Set<string>();
  if (input.remote && !input.signing?.signer && input.targets.length > 0)
    input.logger.warn(
      `images pushed to ${input.remote.location.host} are unsigned: no --sign-key (or BAKE_SIGN_KEY); ` +
        'the catalog records them as unsigned',
    );
  const outcomes: PublishOutcome[] = [];
  for (const { plan, images } of input.targets) {
    const target = plan.target.name;
    try {
      const local: CatalogImage[] = [];
      const remote: CatalogImage[] = [];
      // An image vetted in an earlier run (up to date now) has its baseline in this machine's catalog.
      const known = (await input.local.read(target))?.images ?? [];
      for (const vetted of images) {
        const baseline =
          vetted.baseline ?? known.find((i) => i.imageId === vetted.imageId && i.kind === vetted.kind)?.baseline;
        const image = baseline ? { ...vetted, baseline } : vetted;
        const report = await reportOf(image, input.local);
        local.push(catalogImage(plan, image, immutableRefOf(image), report, input.now));
        if (input.remote) {
          remote.push(await publishImage(input, input.remote, plan, image, report));
          touched.add(repositoryPath(input.remote.location, repositoryName(image, plan)));
        }
      }
      await recordImages(input, input.local, target, local);
      if (input.remote) {
        await recordImages(input, input.remote.catalog, target, remote);
        if (input.signing?.signer) await signCatalog(input.remote, input.signing.signer, target);
      }
      outcomes.push({
        target,
        status: 'published',
        refs: (input.remote ? remote : local).map((i) => `${i.repository}:${i.tag}`),
      });
    } catch (err) {
      const interrupted = !!input.signal?.aborted;
      const message = `publishing failed: ${errorMessage(err)}`;
      outcomes.push({
        target,
        status: interrupted ? 'interrupted' : 'failed',
        exitCode: exitCodeOf(err, { signal: input.signal }),
        message,
      });
      input.logger.warn(`${target}: ${message}`);
    }
  }
  if (input.remote && !input.signal?.aborted) {
    await reconcileMovingTags(input.remote, [...touched], input.logger);
    if (input.signing?.signer) await signMovingTags(input.remote, [...touched], input.signing.signer, input.logger);
  }
  return outcomes;
}

/** Signs the catalog document of a target as it is now in the registry. */
export async function signCatalog(remote: PublishTarget, signer: Signer, target: string): Promise<void> {
  const repository = remote.catalog.location.slice(remote.location.host.length + 1);
  const head = await remote.client.headManifest(repository, target);
  if (head) await signer.sign(`${remote.catalog.location}@${head.digest}`);
}

/**
 * Signs the multi-arch index every moving tag of these repositories points at: a consumer who
 * pulls `:1.27` verifies the index as well as the image of its architecture. Signing an index
 * that already carries this key's signature adds nothing (cosign keeps one of each).
 */
export async function signMovingTags(
  remote: PublishTarget,
  repositories: string[],
  signer: Signer,
  logger: Logger,
): Promise<void> {
  const images = (await Promise.all((await remote.catalog.targets()).map((t) => remote.catalog.read(t)))).flatMap(
    (c) => c?.images ?? [],
  );
  for (const repository of repositories) {
    const repo = `${remote.location.host}/${repository}`;
    const tags = [...new Set(images.filter((i) => i.repository === repo && i.manifestDigest).flatMap(movingTagsOf))];
    const signed = new Set<string>();
    for (const tag of tags.sort()) {
      const head = await remote.client.headManifest(repository, tag);
      if (!head) continue;
      // `:1.27` and `:1.27.4` usually name the same index: one signature covers both.
      if (!signed.has(head.digest)) await signer.sign(`${repo}@${head.digest}`);
      signed.add(head.digest);
      logger.info(`signed ${repo}:${tag} (${head.digest})`);
    }
  }
}

/** Points the moving tags of these repositories at what their targets' catalogs record. */
export async function reconcileMovingTags(
  remote: PublishTarget,
  repositories: string[],
  logger: Logger,
): Promise<void> {
  const all = await Promise.all((await remote.catalog.targets()).map((t) => remote.catalog.read(t)));
  const images = all.flatMap((c) => c?.images ?? []);
  for (const repository of repositories) {
    const repo = `${remote.location.host}/${repository}`;
    await updateMovingIndexes(
      remote.client,
      repository,
      images.filter((i) => i.repository === repo),
      logger,
    );
  }
}

async function publishImage(
  input: PublishInput,
  remote: PublishTarget,
  plan: Plan,
  image: VettedImage,
  report: Report,
): Promise<CatalogImage> {
  const repository = repositoryPath(remote.location, repositoryName(image, plan));
  const { tag } = immutableRefOf(image);
  const ref = `${remote.location.host}/${repository}`;
  const existing = vettedEntry(await remote.catalog.read(plan.target.name), image.kind, plan.inputsDigest);
  const signer = input.signing?.signer;
  if (
    existing?.manifestDigest &&
    existing.imageId === image.imageId &&
    (await remote.client.headManifest(repository, existing.manifestDigest))
  ) {
    const known = existing.baseline || !image.baseline ? existing : { ...existing, baseline: image.baseline };
    if (known !== existing) await copyListings(input.local, remote.catalog, image.baseline);
    // In the registry already; sign it when it is not yet signed with this key.
    if (!signer || (existing.signature?.state === 'signed' && existing.signature.keyId === signer.keyId)) return known;
    return { ...known, signature: await signatureOf(input, plan, image, report, ref, existing.manifestDigest) };
  }
  const engine = await input.engineFor(plan);
  await engine.tag(image.imageId, ref, tag);
  input.logger.info(`${plan.target.name}/${image.kind}: pushing ${ref}:${tag}`);
  let manifestDigest: string;
  try {
    manifestDigest = await withRetries(
      `push ${ref}:${tag}`,
      input.pushAttempts ?? 4,
      input.logger,
      input.signal,
      async () => (await engine.push(`${ref}:${tag}`, pushAuth(remote), input.signal)).digest,
    );
  } finally {
    // The registry has it now; locally the image keeps its own tags.
    await engine.removeImage(`${ref}:${tag}`);
  }
  const reportBytes = await input.local.getReport(image.reportDigest);
  if (reportBytes) await remote.catalog.putReport(reportBytes);
  await copyListings(input.local, remote.catalog, image.baseline);
  input.logger.info(`${plan.target.name}/${image.kind}: pushed ${ref}:${tag} (${manifestDigest})`);
  return {
    ...catalogImage(plan, image, { repository: ref, tag, manifestDigest }, report, input.now),
    signature: await signatureOf(input, plan, image, report, ref, manifestDigest),
  };
}

/** Signs and attests a pushed image when there is a key; otherwise records that it is unsigned. */
async function signatureOf(
  input: PublishInput,
  plan: Plan,
  image: VettedImage,
  report: Report,
  repository: string,
  manifestDigest: string,
): Promise<ImageSignature> {
  const signing = input.signing;
  if (!signing?.signer) return { state: 'unsigned' };
  return signAndAttest(
    { ...signing, signer: signing.signer },
    { plan, image, report, repository, manifestDigest, logger: input.logger, now: input.now },
  );
}

async function recordImages(
  input: PublishInput,
  store: CatalogStore,
  target: string,
  images: CatalogImage[],
): Promise<void> {
  if (images.length === 0) return;
  await updateCatalog(store, target, (catalog) => images.reduce(withImage, catalog), input);
}

/** The report that vetted an image: this run's file, else the copy the pipeline kept in the local catalog. */
async function reportOf(image: VettedImage, local: CatalogStore): Promise<Report> {
  const bytes = image.reportFiles
    ? await fs.readFile(image.reportFiles.json)
    : await local.getReport(image.reportDigest);
  if (!bytes)
    throw new BakeError(
      `the readiness report ${image.reportDigest} of ${image.immutableRef ?? image.imageId} ` +
        `is not in ${local.location}; run bake build with --force to check the image again`,
      ExitCode.Failure,
    );
  if (`sha256:${sha256Hex(bytes)}` !== image.reportDigest)
    throw new BakeError(
      `${image.reportFiles?.json ?? image.reportDigest} changed after the image was vetted`,
      ExitCode.Untrusted,
    );
  return JSON.parse(bytes.toString('utf8')) as Report;
}

/** The local repository and immutable tag of a vetted image. */
function immutableRefOf(image: VettedImage): { repository: string; tag: string } {
  if (!image.immutableRef)
    throw new BakeError(`${image.kind} image ${image.imageId} has no immutable tag to publish`, ExitCode.Failure);
  const at = image.immutableRef.lastIndexOf(':');
  return { repository: image.immutableRef.slice(0, at), tag: image.immutableRef.slice(at + 1) };
}

/** `debian12-go`, `debian12-runtime`: the last path component of the local repository. */
function repositoryName(image: VettedImage, plan: Plan): string {
  return `${plan.target.recipe}-${image.kind === 'toolchain' ? 'go' : 'runtime'}`;
}

function pushAuth(remote: PublishTarget): PushAuth | undefined {
  const c = remote.credentials;
  if (!c) return undefined;
  return {
    serveraddress: remote.location.host,
    ...(c.identityToken ? { identitytoken: c.identityToken } : { username: c.username, password: c.password }),
  };
}

function withRetries<T>(
  what: string,
  attempts: number,
  logger: Logger,
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return retry(fn, {
    attempts,
    firstDelayMs: 2000,
    signal,
    retriable: (err) => err instanceof BakeError && err.exitCode === ExitCode.Unavailable,
    onRetry: (err, next) =>
      logger.warn(
        `${what}: ${errorMessage(err)}; retrying in ${next.delayMs / 1000} s (attempt ${next.attempt} of ${attempts})`,
      ),
  });
}

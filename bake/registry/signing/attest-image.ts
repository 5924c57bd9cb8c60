import { performance } from 'node:perf_hooks';
import type { Logger } from '../../common/log';
import type { Plan } from '../../plan/types';
import type { Report } from '../../readiness/types';
import type { ImageSignature, VettedImage } from '../types';
import { ATTESTATIONS } from './predicate-types';
import { readinessPredicate } from './readiness-predicate';
import type { Signer } from './signer';
import { slsaProvenance, type BuilderInfo, type RecipeSource } from './slsa-provenance';

/** The two SBOM documents of a pushed image, made from its layers. */
export interface SbomDocuments {
  cyclonedx: string;
  spdx: string;
  /** Counts for the log line. */
  components: number;
}

/** How publishing proves what it pushes: absent signer means unsigned (said once, recorded). */
export interface PublishSigning {
  signer?: Signer;
  /** The SBOMs of a vetted image as pushed (`repository` and `manifestDigest` name it in them). */
  sbomOf(plan: Plan, image: VettedImage, where: { repository: string; manifestDigest: string }): Promise<SbomDocuments>;
  recipeOf(plan: Plan): Promise<RecipeSource | undefined>;
  builder: BuilderInfo;
}

/**
 * Signs a pushed per-architecture image and attaches its four attestations (CycloneDX and SPDX
 * SBOMs, SLSA provenance v1, the readiness report), each a signed in-toto statement about the
 * manifest digest. Returns what the catalog records of it.
 */
export async function signAndAttest(
  signing: PublishSigning & { signer: Signer },
  input: {
    plan: Plan;
    image: VettedImage;
    report: Report;
    repository: string;
    manifestDigest: string;
    logger: Logger;
    now: Date;
  },
): Promise<ImageSignature> {
  const { plan, image, signer } = { ...input, signer: signing.signer };
  const ref = `${input.repository}@${input.manifestDigest}`;
  const label = `${plan.target.name}/${image.kind}`;
  const started = performance.now();
  await signer.sign(ref);
  const sbomStarted = performance.now();
  const sbom = await signing.sbomOf(plan, image, input);
  const sbomMs = performance.now() - sbomStarted;
  const provenance = slsaProvenance({
    plan,
    kind: image.kind,
    recipe: await signing.recipeOf(plan),
    builder: signing.builder,
    reportDigest: image.reportDigest,
    ...(image.build?.startedAt && image.build.finishedAt
      ? { build: { startedAt: image.build.startedAt, finishedAt: image.build.finishedAt } }
      : {}),
  });
  const readiness = readinessPredicate(input.report, image.reportDigest, plan.inputsDigest);
  await signer.attest(ref, ATTESTATIONS.cyclonedx.type, sbom.cyclonedx);
  await signer.attest(ref, ATTESTATIONS.spdx.type, sbom.spdx);
  await signer.attest(ref, ATTESTATIONS.provenance.type, JSON.stringify(provenance));
  await signer.attest(ref, ATTESTATIONS.readiness.type, JSON.stringify(readiness));
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  input.logger.info(
    `${label}: signed ${ref} and attested SBOM (${sbom.components} components, made in ${seconds(sbomMs)} s), ` +
      `provenance and readiness in ${seconds(performance.now() - started)} s`,
  );
  return {
    state: 'signed',
    keyId: signer.keyId,
    attestations: Object.values(ATTESTATIONS).map((a) => a.predicateType),
    signedAt: input.now.toISOString(),
  };
}

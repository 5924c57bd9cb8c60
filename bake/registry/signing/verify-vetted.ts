import { canonicalJson } from '../../common/canonical-json';
import type { CommandRunner } from '../../common/types';
import type { ImageKind } from '../../recipe/types';
import { byVettedAt } from '../catalog-entry';
import { catalogRecords } from '../catalog-records';
import { movingTagsOf } from '../moving-indexes';
import { describeRevocation } from '../revocation';
import type { PublishTarget } from '../publish-run';
import type { CatalogImage } from '../types';
import { cosignError, runCosign, verifyArgs, verifyAttestationArgs, type CosignContext } from './cosign-cli';
import { ATTESTATIONS, ATTESTATION_NAMES, type AttestationName } from './predicate-types';

/** One thing `bake registry verify` checked, and what it found. */
export interface VerifyCheck {
  id: string;
  ok: boolean;
  detail: string;
}

export interface VerifyOutcome {
  /** What was asked: a target or an image reference. */
  ref: string;
  /** `host/repo@sha256:...` of the image checked (when it could be found). */
  image?: string;
  entry?: CatalogImage;
  checks: VerifyCheck[];
  warnings: string[];
  verified: boolean;
}

export interface VerifyInput {
  /** A target (`debian12-amd64`, its newest image of `kind`) or `host/repo:tag`, `host/repo@sha256:...`. */
  ref: string;
  kind: ImageKind;
  /** cosign public key file. */
  publicKey: string;
  remote: PublishTarget;
  cosignPath: string;
  env: NodeJS.ProcessEnv;
  run?: CommandRunner;
}

interface Statement {
  predicateType?: string;
  subject?: { name?: string; digest?: { sha256?: string } }[];
  predicate?: Record<string, unknown>;
}

/**
 * Whether an image is what the catalog says bake vetted, proven with the key alone: the catalog
 * document is signed by it; the tag still points at the recorded digest; the image is signed by
 * it; its SBOM (CycloneDX, SPDX), provenance and readiness attestations are signed by it and
 * agree with the catalog (inputs digest, Go sha256, report). Every check runs, so the outcome
 * lists each reason; an image older than the newest vetted one of its Go line is a warning.
 */
export async function verifyVetted(input: VerifyInput): Promise<VerifyOutcome> {
  const outcome: VerifyOutcome = { ref: input.ref, checks: [], warnings: [], verified: false };
  const check = (id: string, ok: boolean, detail: string) => outcome.checks.push({ id, ok, detail });
  const cosign: CosignContext = { path: input.cosignPath, env: input.env, run: input.run };
  const { remote } = input;
  const registry = { host: remote.location.host, credentials: remote.credentials };
  const images = (await catalogRecords(remote.catalog)).images;

  const found = await findEntry(input, images);
  if ('reason' in found) {
    check('catalog.entry', false, found.reason);
    return outcome;
  }
  const { entry } = found;
  outcome.entry = entry;
  const digest = entry.manifestDigest!;
  const image = `${entry.repository}@${digest}`;
  outcome.image = image;
  check('catalog.entry', true, `${entry.target} ${entry.kind}, Go ${entry.goVersion}, vetted ${entry.vettedAt}`);
  // A revoked image is refused whatever its signatures say: they prove who built it, not that it is still good.
  if (entry.revoked) {
    check('catalog.revoked', false, `${image} is ${describeRevocation(entry.revoked)}`);
    return outcome;
  }

  // The catalog is what the rest is compared with: it must carry this key's signature.
  const catalogRepo = remote.catalog.location.slice(remote.location.host.length + 1);
  const catalogHead = await remote.client.headManifest(catalogRepo, entry.target);
  if (!catalogHead) check('catalog.signature', false, `no catalog document for ${entry.target}`);
  else {
    const result = await runCosign(
      cosign,
      verifyArgs(`${remote.catalog.location}@${catalogHead.digest}`, input.publicKey),
      registry,
    );
    check(
      'catalog.signature',
      result.code === 0,
      result.code === 0
        ? `the catalog document of ${entry.target} is signed by this key`
        : `the catalog document of ${entry.target} has no valid signature by this key (${cosignError(result)})`,
    );
  }

  const repository = entry.repository.slice(remote.location.host.length + 1);
  const tagged = await remote.client.headManifest(repository, entry.tag);
  check(
    'tag.digest',
    tagged?.digest === digest,
    !tagged
      ? `${entry.repository}:${entry.tag} is not in the registry`
      : tagged.digest === digest
        ? `${entry.repository}:${entry.tag} points at ${digest}`
        : `${entry.repository}:${entry.tag} points at ${tagged.digest}, but the catalog records ${digest} ` +
          '(re-tagged to another image)',
  );

  const signature = await runCosign(cosign, verifyArgs(image, input.publicKey), registry);
  check(
    'image.signature',
    signature.code === 0,
    signature.code === 0
      ? `${image} is signed by this key`
      : `${image} has no valid signature by this key (${cosignError(signature)})`,
  );

  const report = await remote.catalog.getReport(entry.reportDigest);
  for (const name of ATTESTATION_NAMES) {
    const { type } = ATTESTATIONS[name];
    const result = await runCosign(cosign, verifyAttestationArgs(image, input.publicKey, type), registry);
    if (result.code !== 0) {
      check(`attestation.${name}`, false, `no ${type} attestation verifies with this key (${cosignError(result)})`);
      continue;
    }
    const statements = parseStatements(result.stdout).filter(
      (s) => s.subject?.some((sub) => `sha256:${sub.digest?.sha256}` === digest) ?? false,
    );
    const problem = statements.length
      ? agreement(name, statements[statements.length - 1].predicate ?? {}, entry, report)
      : `no ${type} attestation is about ${digest}`;
    check(`attestation.${name}`, !problem, problem ?? `${type} attestation signed by this key agrees with the catalog`);
  }

  const line = movingTagsOf(entry)[0];
  const newer = images
    .filter((i) => i.target === entry.target && i.kind === entry.kind && movingTagsOf(i)[0] === line && !i.revoked)
    .sort(byVettedAt)
    .pop();
  if (newer && newer.vettedAt > entry.vettedAt)
    outcome.warnings.push(
      `a newer vetted ${entry.kind} image of ${entry.target} for Go ${line} exists: ` +
        `${newer.repository}:${newer.tag} (vetted ${newer.vettedAt})`,
    );
  outcome.verified = outcome.checks.every((c) => c.ok);
  return outcome;
}

/** The catalog entry a reference names, or why there is none. */
async function findEntry(
  input: VerifyInput,
  images: CatalogImage[],
): Promise<{ entry: CatalogImage } | { reason: string }> {
  const { ref, kind, remote } = input;
  const published = images.filter((i) => i.manifestDigest);
  if (!ref.includes('/')) {
    // A target names its newest image that is not revoked (the one pin gives), else its newest.
    const ofTarget = published.filter((i) => i.target === ref && i.kind === kind);
    const entry = ofTarget.filter((i) => !i.revoked).pop() ?? ofTarget.pop();
    return entry
      ? { entry }
      : { reason: `no pushed ${kind} image of ${ref} in the catalog of ${remote.catalog.location}` };
  }
  const at = ref.indexOf('@');
  const colon = ref.lastIndexOf(':');
  const named = at >= 0 ? ref.slice(0, at) : colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
  const reference = at >= 0 ? ref.slice(at + 1) : colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : 'latest';
  if (!named.startsWith(`${remote.location.host}/`))
    return { reason: `${ref} is not in the registry ${remote.location.host}; pass --registry` };
  const repository = named.slice(remote.location.host.length + 1);
  const head = await remote.client.headManifest(repository, reference);
  if (!head) return { reason: `${ref} is not in the registry` };
  if (/index|manifest\.list/.test(head.mediaType))
    return {
      reason:
        `${ref} is a multi-arch index: verify each architecture's image (its target or immutable tag), ` +
        'or use bake registry pin RECIPE --key, which verifies the index and every image in it',
    };
  const entry = published.filter((i) => i.repository === named && i.manifestDigest === head.digest).pop();
  if (entry) return { entry };
  const byTag = published.find((i) => i.repository === named && i.tag === reference);
  if (byTag)
    return {
      reason:
        `${ref} points at ${head.digest}, but the catalog records ${byTag.manifestDigest} ` +
        '(re-tagged to another image)',
    };
  return { reason: `${ref} (${head.digest}) is not a vetted image in the catalog of ${remote.catalog.location}` };
}

/** cosign prints one DSSE envelope per line; each payload is an in-toto statement. */
function parseStatements(stdout: string): Statement[] {
  const out: Statement[] = [];
  for (const line of stdout.split('\n').filter((l) => l.trim().startsWith('{'))) {
    try {
      const envelope = JSON.parse(line) as { payload?: string };
      if (envelope.payload) out.push(JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement);
    } catch {
      // not an envelope
    }
  }
  return out;
}

/** What in a verified attestation contradicts the catalog, if anything. */
function agreement(
  name: AttestationName,
  predicate: Record<string, unknown>,
  entry: CatalogImage,
  report: Buffer | undefined,
): string | undefined {
  const digest = entry.manifestDigest!;
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], predicate);
  if (name === 'provenance') {
    const inputs = get('buildDefinition.internalParameters.inputsDigest');
    if (inputs !== entry.inputsDigest)
      return `the provenance's inputs digest ${String(inputs)} is not the catalog's ${entry.inputsDigest}`;
    const deps = (get('buildDefinition.resolvedDependencies') as { digest?: { sha256?: string } }[] | undefined) ?? [];
    if (!deps.some((d) => d.digest?.sha256 === entry.goSha256))
      return `the provenance does not name the Go archive ${entry.goSha256}`;
    return undefined;
  }
  if (name === 'readiness') {
    if (get('passed') !== true) return 'the readiness attestation says the image did not pass';
    if (get('reportDigest') !== entry.reportDigest)
      return `the attested report ${String(get('reportDigest'))} is not the catalog's ${entry.reportDigest}`;
    if (!report) return `the catalog's report ${entry.reportDigest} is missing`;
    if (canonicalJson(get('report')) !== canonicalJson(JSON.parse(report.toString('utf8'))))
      return "the attested readiness report differs from the catalog's";
    return undefined;
  }
  if (name === 'cyclonedx') {
    if (get('metadata.component.version') !== digest) return `the CycloneDX SBOM describes another image`;
    const go = (get('components') as { name?: string; hashes?: { content?: string }[] }[] | undefined)?.find(
      (c) => c.name === 'go' && c.hashes,
    );
    if (entry.kind === 'toolchain' && go?.hashes?.[0]?.content !== entry.goSha256)
      return `the CycloneDX SBOM does not list the Go distribution ${entry.goSha256}`;
    return undefined;
  }
  const described = (predicate.packages as { versionInfo?: string }[] | undefined)?.[0]?.versionInfo;
  return described === digest ? undefined : 'the SPDX SBOM describes another image';
}

import { join } from 'node:path';
import { BakeError, ExitCode, errorMessage, exitCodeOf } from '../common/errors';
import { connectEngine } from '../engine/daemon/embedded-engine';
import type { ImageKind } from '../recipe/types';
import { reconcileLocalMovingTags } from '../registry/local-moving-tags';
import { updateMovingIndexes } from '../registry/moving-indexes';
import { localCatalog } from '../registry/open-registry';
import { signCatalog, signMovingTags, type PublishTarget } from '../registry/publish-run';
import { openSigner, type Signer } from '../registry/signing/signer';
import { ensureCosign } from '../engine/host/cosign-install';
import { applyRevocation, selectRevocation, type RevocationSelection } from '../registry/revocation';
import type { CatalogAmi, CatalogImage, CatalogStore, Revocation, TargetCatalog } from '../registry/types';
import { withCatalogLock } from '../registry/update-catalog';
import type { Session } from './session';

export interface RevokeRunInput {
  session: Session;
  /** A target, an image digest, `repository:tag`, or an AMI id. */
  ref: string;
  /** Undefined: unrevoke. */
  revoke?: { reason: string; by: string };
  kind?: ImageKind;
  /** The registry whose catalog and moving tags change; this machine's catalog and engine when absent. */
  remote?: PublishTarget;
  engine?: string;
  /** Where revoked AMIs are deprecated (their regions come from the catalog). */
  ec2?: { region?: string; endpoint?: string };
  /** With a registry: the cosign key that signs the changed catalog documents and moved indexes. */
  signKey?: string;
}

export interface RevokeRun {
  location: string;
  images: CatalogImage[];
  amis: CatalogAmi[];
  /** Moving tags that moved back (or were removed). */
  moved: string[];
}

/**
 * `bake registry revoke` / `unrevoke`, under the catalog's lock as publishing is: the catalog
 * records the revocation first (so pin and verify refuse the image from that moment), then the
 * moving tags go back to the newest vetted image that is not revoked (or are removed), then
 * revoked AMIs are tagged and deprecated through EC2. Run again after a failure, it finishes
 * what is missing; a registry's revocation is mirrored in this machine's catalog.
 */
export async function runRevoke(input: RevokeRunInput): Promise<RevokeRun> {
  const { session } = input;
  const { logger } = session;
  const lock = { lockDir: join(session.stateDir, 'locks'), logger };
  const catalog = input.remote?.catalog ?? localCatalog(session.stateDir);
  const now = new Date();
  const revocation: Revocation | undefined = input.revoke && { at: now.toISOString(), ...input.revoke };
  const verb = revocation ? 'revoke' : 'unrevoke';

  const signer = input.remote && input.signKey ? await openRevokeSigner(input, input.remote, input.signKey) : undefined;
  if (input.remote && !signer)
    logger.warn(
      `no --sign-key (or BAKE_SIGN_KEY): the changed catalog documents and moving tags in ${catalog.location} ` +
        'are not signed, and bake registry verify says so',
    );
  const done = await withCatalogLock(catalog, lock, async () => {
    const docs = await readAll(catalog);
    const selection = selectRevocation(docs, input.ref, { kind: input.kind, revoked: !revocation });
    if (selection.images.length + selection.amis.length === 0)
      throw new BakeError(
        `nothing ${revocation ? 'vetted and not revoked' : 'revoked'} matches "${input.ref}" in ${catalog.location}`,
        ExitCode.Usage,
        'bake registry status lists what is vetted and what is revoked',
      );
    const written = await writeRevocation(catalog, docs, selection, revocation, now);
    const images = written.flatMap((d) => d.images);
    const hit = images.filter((i) => selection.images.some((s) => s.imageId === i.imageId && s.target === i.target));
    // From here on the catalog records it: a failure says how to finish, by names that still match.
    try {
      const moved = await moveTags(input, images, hit);
      const amis = await markAmis(input, catalog, selection, revocation, now);
      if (input.remote && signer) {
        const remote = input.remote;
        for (const target of new Set([...selection.images, ...selection.amis].map((s) => s.target)))
          await signCatalog(remote, signer, target);
        const repositories = [...new Set(hit.filter((i) => i.manifestDigest).map((i) => i.repository))];
        await signMovingTags(
          remote,
          repositories.map((r) => r.slice(remote.location.host.length + 1)),
          signer,
          logger,
        );
      }
      return { images: hit, amis, moved };
    } catch (err) {
      const names = [...hit.map((i) => i.manifestDigest ?? i.imageId), ...selection.amis.map((a) => a.amiId)];
      throw new BakeError(
        `${errorMessage(err)}; the catalog ${catalog.location} already records the ${verb} of ${names.join(', ')}`,
        exitCodeOf(err),
        `run bake registry ${verb} with each of them again (as it was run) to finish the moving tags and AMIs`,
      );
    }
  });
  if (input.remote) await mirrorLocally(input, selection(done), revocation, lock, now);
  logger.info(
    `${verb}d ${done.images.length} image${done.images.length === 1 ? '' : 's'} and ${done.amis.length} AMI` +
      `${done.amis.length === 1 ? '' : 's'} in ${catalog.location}`,
  );
  return { location: catalog.location, ...done };
}

async function readAll(catalog: CatalogStore): Promise<TargetCatalog[]> {
  const docs = await Promise.all((await catalog.targets()).map((t) => catalog.read(t)));
  return docs.filter((d): d is TargetCatalog => !!d);
}

async function writeRevocation(
  catalog: CatalogStore,
  docs: TargetCatalog[],
  selection: RevocationSelection,
  revocation: Revocation | undefined,
  now: Date,
): Promise<TargetCatalog[]> {
  const targets = new Set([...selection.images, ...selection.amis].map((s) => s.target));
  const out: TargetCatalog[] = [];
  for (const doc of docs) {
    if (!targets.has(doc.target)) {
      out.push(doc);
      continue;
    }
    const changed = { ...applyRevocation(doc, selection, revocation), updatedAt: now.toISOString() };
    await catalog.write(changed);
    out.push(changed);
  }
  return out;
}

/** The moving tags of every repository a revoked image is in, from the catalog as now written. */
async function moveTags(input: RevokeRunInput, images: CatalogImage[], hit: CatalogImage[]): Promise<string[]> {
  const { logger } = input.session;
  if (input.remote) {
    const { client, location } = input.remote;
    const moved: string[] = [];
    for (const repo of new Set(hit.filter((i) => i.manifestDigest).map((i) => i.repository))) {
      const path = repo.slice(location.host.length + 1);
      const tags = await updateMovingIndexes(
        client,
        path,
        images.filter((i) => i.repository === repo),
        logger,
      );
      moved.push(...tags.map((t) => `${repo}:${t}`));
    }
    return moved;
  }
  const repositories = new Set(hit.map((i) => i.repository));
  if (!repositories.size) return [];
  const engine = await connectEngine({ stateDir: input.session.stateDir, logger, endpoint: input.engine });
  return reconcileLocalMovingTags(engine, images, repositories, logger);
}

/** Tags and deprecates the selected AMIs (loading the EC2 SDK only when there are any), and records how it went. */
async function markAmis(
  input: RevokeRunInput,
  catalog: CatalogStore,
  selection: RevocationSelection,
  revocation: Revocation | undefined,
  now: Date,
): Promise<CatalogAmi[]> {
  if (!selection.amis.length) return [];
  const [{ Ec2Sdk }, { markAmiRevoked }] = await Promise.all([
    import('../vm/ec2/ec2-sdk'),
    import('../vm/ec2/ami-revocation'),
  ]);
  const ec2 = await Ec2Sdk.connect({ region: input.ec2?.region, endpoint: input.ec2?.endpoint });
  const marked: CatalogAmi[] = [];
  for (const target of new Set(selection.amis.map((a) => a.target))) {
    const doc = await catalog.read(target);
    if (!doc) continue;
    const amis: CatalogAmi[] = [];
    for (const ami of doc.amis ?? []) {
      if (!selection.amis.some((s) => s.amiId === ami.amiId)) {
        amis.push(ami);
        continue;
      }
      const deprecation = await markAmiRevoked((r) => ec2.inRegion(r), ami, revocation, input.session.logger);
      const updated = revocation && ami.revoked ? { ...ami, revoked: { ...ami.revoked, deprecation } } : ami;
      amis.push(updated);
      marked.push(updated);
    }
    await catalog.write({ ...doc, amis, updatedAt: now.toISOString() });
  }
  return marked;
}

function selection(done: { images: CatalogImage[]; amis: CatalogAmi[] }): RevocationSelection {
  return {
    images: done.images.map(({ target, imageId, kind, inputsDigest }) => ({ target, imageId, kind, inputsDigest })),
    amis: done.amis.map(({ target, amiId }) => ({ target, amiId })),
  };
}

/** The same records in this machine's catalog (as publishing records both), when it has them. */
async function mirrorLocally(
  input: RevokeRunInput,
  chosen: RevocationSelection,
  revocation: Revocation | undefined,
  lock: { lockDir: string; logger: Session['logger'] },
  now: Date,
): Promise<void> {
  const local = localCatalog(input.session.stateDir);
  await withCatalogLock(local, lock, async () => {
    const docs = await readAll(local);
    const byImage = docs.flatMap((d) => d.images).filter((i) => chosen.images.some((s) => s.imageId === i.imageId));
    const mirrored: RevocationSelection = {
      images: byImage.map(({ target, imageId, kind, inputsDigest }) => ({ target, imageId, kind, inputsDigest })),
      amis: chosen.amis,
    };
    if (mirrored.images.length + mirrored.amis.length) await writeRevocation(local, docs, mirrored, revocation, now);
  });
}

/** The signer of what a revocation changes in a registry: cosign (installed when missing) and the key. */
async function openRevokeSigner(input: RevokeRunInput, remote: PublishTarget, keyPath: string): Promise<Signer> {
  const { session } = input;
  const cosignPath = await ensureCosign({ allowInstall: true, logger: session.logger, stateDir: session.stateDir });
  return openSigner({
    keyPath,
    cosignPath,
    env: session.env,
    registry: { host: remote.location.host, credentials: remote.credentials },
  });
}

import { BakeError, ExitCode } from '../common/errors';
import type { Logger } from '../common/log';
import { ensureCosign } from '../engine/host/cosign-install';
import type { ImageKind } from '../recipe/types';
import { pinReference, type PinQuery } from '../registry/catalog-records';
import { openRegistry } from '../registry/open-registry';
import { runCosign, verifyArgs, cosignError } from '../registry/signing/cosign-cli';
import { verifyVetted, type VerifyOutcome } from '../registry/signing/verify-vetted';

export interface RegistryVerifyInput {
  ref: string;
  kind: ImageKind;
  /** The cosign public key file. */
  key: string;
  /** `host/prefix`; default: the image reference's own registry and prefix. */
  registry?: string;
  stateDir: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

/** `bake registry verify`: a vetted image proven with the key alone; exit 4 with the reasons otherwise. */
export async function runRegistryVerify(input: RegistryVerifyInput): Promise<VerifyOutcome> {
  const registry = input.registry ?? registryOf(input.ref);
  const [remote, cosignPath] = await Promise.all([
    openRegistry(registry, input.env),
    ensureCosign({ allowInstall: true, logger: input.logger, stateDir: input.stateDir, env: input.env }),
  ]);
  return verifyVetted({ ...input, publicKey: input.key, remote, cosignPath });
}

/** An outcome that failed, as the one error the CLI prints (exit 4). */
export function verifyFailure(outcome: VerifyOutcome): BakeError {
  const failed = outcome.checks.filter((c) => !c.ok);
  return new BakeError(
    `${outcome.image ?? outcome.ref} does not verify: ${failed.map((c) => c.detail).join('; ')}`,
    ExitCode.Untrusted,
  );
}

/**
 * `bake registry pin --key`: the FROM line of an image that verifies. For a recipe (the
 * multi-arch index) the index's own signature and every architecture's image are verified.
 */
export async function runVerifiedPin(
  input: Omit<RegistryVerifyInput, 'ref' | 'kind' | 'registry'> & { registry: string; query: PinQuery },
): Promise<{ comment: string; from: string; verified: VerifyOutcome[] }> {
  const [remote, cosignPath] = await Promise.all([
    openRegistry(input.registry, input.env),
    ensureCosign({ allowInstall: true, logger: input.logger, stateDir: input.stateDir, env: input.env }),
  ]);
  const pin = await pinReference(remote.catalog, input.query, remote);
  const verify = (ref: string) =>
    verifyVetted({ ref, kind: input.query.kind, publicKey: input.key, remote, cosignPath, env: input.env });
  const outcomes: VerifyOutcome[] = [];
  const perArch = pin.from.match(/^(.*)@(sha256:[0-9a-f]{64})$/);
  const images = (await Promise.all((await remote.catalog.targets()).map((t) => remote.catalog.read(t)))).flatMap(
    (c) => c?.images ?? [],
  );
  const entry = images.find((i) => perArch && i.repository === perArch[1] && i.manifestDigest === perArch[2]);
  if (entry) outcomes.push(await verify(pin.from));
  else if (perArch) {
    // A multi-arch index: its own signature, then each architecture's newest vetted image.
    const index = await runCosign({ path: cosignPath, env: input.env }, verifyArgs(pin.from, input.key), {
      host: remote.location.host,
      credentials: remote.credentials,
    });
    if (index.code !== 0)
      throw new BakeError(
        `${pin.from} does not verify: the index has no valid signature by this key (${cosignError(index)})`,
        ExitCode.Untrusted,
      );
    const targets = [...new Set(images.filter((i) => i.recipe === input.query.name).map((i) => i.target))];
    for (const target of targets.sort()) outcomes.push(await verify(target));
  }
  const failed = outcomes.find((o) => !o.verified);
  if (failed) throw verifyFailure(failed);
  if (outcomes.length === 0)
    throw new BakeError(`${pin.from} is not a pushed image; nothing to verify`, ExitCode.Untrusted);
  return { ...pin, verified: outcomes };
}

/** `host/prefix/repo:tag` -> `host/prefix`: where an image reference's catalog is. */
function registryOf(ref: string): string {
  const name = ref.split('@')[0].replace(/:[^/]*$/, '');
  const slash = name.lastIndexOf('/');
  if (slash < 0 || !ref.includes('/'))
    throw new BakeError(`"${ref}" names a target: pass --registry REGISTRY/PREFIX`, ExitCode.Usage);
  return name.slice(0, slash);
}

import type { Logger } from '../common/log';
import { bakeVersion } from '../common/package-root';
import type { DockerEngine } from '../engine/docker-engine';
import { ensureCosign } from '../engine/host/cosign-install';
import type { Arch } from '../recipe/types';
import type { PublishTarget } from '../registry/publish-run';
import type { PublishSigning } from '../registry/signing/attest-image';
import { recipeSource } from '../registry/signing/recipe-source';
import { openSigner } from '../registry/signing/signer';
import type { RecipeSource } from '../registry/signing/slsa-provenance';
import { imageContents, renderSbom } from '../sbom/image-sbom';

export interface SigningOptions {
  /** The cosign private key (`--sign-key`, else BAKE_SIGN_KEY); absent: pushed images are unsigned. */
  keyPath?: string;
  remote: PublishTarget;
  recipesDir: string;
  stateDir: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  engineFor: (arch: Arch) => Promise<DockerEngine>;
}

/**
 * What publishing needs to prove what it pushes. With a key: cosign (installed from trixie when
 * missing) and the key are checked now, before anything is built, so a wrong password fails in
 * a second, not after an hour of builds.
 */
export async function publishSigning(options: SigningOptions): Promise<PublishSigning> {
  const recipes = new Map<string, Promise<RecipeSource | undefined>>();
  const base: Omit<PublishSigning, 'signer'> = {
    builder: { bakeVersion: bakeVersion() },
    recipeOf: (plan) => {
      const name = plan.target.recipe;
      if (!recipes.has(name))
        recipes.set(
          name,
          recipeSource(options.recipesDir, name).catch(() => undefined),
        );
      return recipes.get(name)!;
    },
    sbomOf: async (plan, image, where) => {
      const engine = await options.engineFor(plan.target.arch);
      const contents = await imageContents(engine.docker, image.imageId, where);
      for (const note of contents.notes) options.logger.warn(`${plan.target.name}/${image.kind}: ${note}`);
      const modules = new Set(contents.goBinaries.flatMap((b) => b.deps.map((d) => `${d.path}@${d.version}`)));
      return {
        cyclonedx: renderSbom(contents, 'cyclonedx'),
        spdx: renderSbom(contents, 'spdx'),
        components: contents.packages.length + contents.goBinaries.length + modules.size + (contents.go ? 1 : 0),
      };
    },
  };
  if (!options.keyPath) return base;
  const cosignPath = await ensureCosign({ allowInstall: true, logger: options.logger, stateDir: options.stateDir });
  const signer = await openSigner({
    keyPath: options.keyPath,
    cosignPath,
    env: options.env,
    registry: { host: options.remote.location.host, credentials: options.remote.credentials },
  });
  options.logger.info(
    `signing what is pushed to ${options.remote.location.host} with key ${signer.keyId.slice(0, 19)}`,
  );
  return { ...base, signer };
}

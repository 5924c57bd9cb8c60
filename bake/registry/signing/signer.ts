import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import { sha256Hex } from '../../common/sha256';
import type { CommandRunner } from '../../common/types';
import type { RegistryCredentials } from '../registry-credentials';
import { attestArgs, cosignError, runCosign, signArgs, type CosignContext } from './cosign-cli';

/** Signs manifests and attaches attestations to them, in a registry. */
export interface Signer {
  /** `sha256:` of the public key (PEM), recorded in the catalog so consumers know which key verifies. */
  readonly keyId: string;
  /** The public key in PEM, as `cosign public-key` prints it. */
  readonly publicKey: string;
  /** Signs `host/repo@sha256:...`. */
  sign(ref: string): Promise<void>;
  /** Attaches a signed in-toto statement of `predicateType` about `host/repo@sha256:...`. */
  attest(ref: string, predicateType: string, predicate: string): Promise<void>;
}

export interface SignerOptions {
  /** The cosign private key file (`--sign-key`, BAKE_SIGN_KEY). Never logged, labeled or recorded. */
  keyPath: string;
  cosignPath: string;
  /** Holds COSIGN_PASSWORD, which cosign reads itself. */
  env: NodeJS.ProcessEnv;
  /** Registry credentials for cosign, when bake was given them in its environment. */
  registry?: { host: string; credentials?: RegistryCredentials };
  run?: CommandRunner;
}

/**
 * A signer with a cosign key, checked before anything is built: the file must be a cosign
 * private key that COSIGN_PASSWORD opens. Errors name the key as "the signing key", never by path.
 */
export async function openSigner(options: SignerOptions): Promise<Signer> {
  const context: CosignContext = { path: options.cosignPath, env: options.env, run: options.run };
  const hide = (text: string) => text.split(options.keyPath).join('<signing key>');
  let text: string;
  try {
    text = await fs.readFile(options.keyPath, 'utf8');
  } catch (err) {
    throw new BakeError(
      `the signing key cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      ExitCode.Usage,
      'pass a cosign private key with --sign-key or BAKE_SIGN_KEY',
    );
  }
  if (!/-----BEGIN (ENCRYPTED )?(SIGSTORE|COSIGN) PRIVATE KEY-----/.test(text))
    throw new BakeError(
      'the signing key is not a cosign private key',
      ExitCode.Usage,
      'make one with: cosign generate-key-pair',
    );
  if (options.env.COSIGN_PASSWORD === undefined)
    throw new BakeError(
      'the signing key needs its password in COSIGN_PASSWORD (set it empty for a key without one)',
      ExitCode.Usage,
    );
  const opened = await runCosign(context, ['public-key', `--key=${options.keyPath}`]);
  if (opened.code !== 0)
    throw new BakeError(`cosign cannot open the signing key: ${hide(cosignError(opened))}`, ExitCode.Usage);
  const publicKey = opened.stdout.trim();
  const fail = (what: string, result: Awaited<ReturnType<typeof runCosign>>) =>
    new BakeError(`cosign ${what} failed: ${hide(cosignError(result))}`, ExitCode.Failure);
  return {
    keyId: `sha256:${sha256Hex(`${publicKey}\n`)}`,
    publicKey,
    async sign(ref) {
      const result = await runCosign(context, signArgs(ref, options.keyPath), options.registry);
      if (result.code !== 0) throw fail(`sign ${ref}`, result);
    },
    async attest(ref, predicateType, predicate) {
      // The predicate goes to cosign as a file in a directory only this process can read.
      const dir = await fs.mkdtemp(join(tmpdir(), 'bake-attest-'));
      try {
        const file = join(dir, 'predicate.json');
        await fs.writeFile(file, predicate, { mode: 0o600 });
        const result = await runCosign(
          context,
          attestArgs(ref, options.keyPath, predicateType, file),
          options.registry,
        );
        if (result.code !== 0) throw fail(`attest ${predicateType} on ${ref}`, result);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}

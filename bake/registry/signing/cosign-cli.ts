import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLines, runCommand } from '../../common/run-command';
import type { CommandResult, CommandRunner } from '../../common/types';
import type { RegistryCredentials } from '../registry-credentials';
import { registryScheme } from '../remote-ref';

/** What a cosign run needs besides its arguments. */
export interface CosignContext {
  path: string;
  env: NodeJS.ProcessEnv;
  run?: CommandRunner;
}

/** `--allow-insecure-registry` only where bake itself speaks plain http: loopback registries. */
export function registryFlags(ref: string): string[] {
  const host = ref.split('/')[0];
  return registryScheme(host) === 'http' ? ['--allow-insecure-registry'] : [];
}

/**
 * Signs one manifest (by digest) with a key, offline: nothing goes to a transparency log. Values
 * are joined to their flags (`--key=FILE`) so none can be read as another option.
 */
export function signArgs(ref: string, key: string): string[] {
  return ['sign', `--key=${key}`, '--tlog-upload=false', '--yes', ...registryFlags(ref), ref];
}

/** Attaches an in-toto attestation, replacing an earlier one of the same predicate type. */
export function attestArgs(ref: string, key: string, type: string, predicateFile: string): string[] {
  return [
    'attest',
    `--key=${key}`,
    `--type=${type}`,
    `--predicate=${predicateFile}`,
    '--replace',
    '--tlog-upload=false',
    '--yes',
    ...registryFlags(ref),
    ref,
  ];
}

export function verifyArgs(ref: string, publicKey: string): string[] {
  return ['verify', `--key=${publicKey}`, '--insecure-ignore-tlog', '--output=json', ...registryFlags(ref), ref];
}

export function verifyAttestationArgs(ref: string, publicKey: string, type: string): string[] {
  return [
    'verify-attestation',
    `--key=${publicKey}`,
    `--type=${type}`,
    '--insecure-ignore-tlog',
    '--output=json',
    ...registryFlags(ref),
    ref,
  ];
}

/**
 * Runs cosign. Registry credentials bake was given in its environment
 * (BAKE_REGISTRY_USERNAME/PASSWORD) reach cosign through a private Docker config that lives
 * only for the run, never on its command line; otherwise cosign reads the user's Docker config.
 */
export async function runCosign(
  context: CosignContext,
  args: string[],
  credentials?: { host: string; credentials?: RegistryCredentials },
): Promise<CommandResult> {
  const run = context.run ?? runCommand;
  const creds = credentials?.credentials;
  if (!creds || !context.env.BAKE_REGISTRY_USERNAME) return run(context.path, args, { env: context.env });
  const dir = await fs.mkdtemp(join(tmpdir(), 'bake-cosign-'));
  try {
    const auth = creds.identityToken
      ? { identitytoken: creds.identityToken }
      : { auth: Buffer.from(`${creds.username ?? ''}:${creds.password ?? ''}`).toString('base64') };
    await fs.writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [credentials.host]: auth } }), {
      mode: 0o600,
    });
    return await run(context.path, args, { env: { ...context.env, DOCKER_CONFIG: dir } });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** cosign's reason for a failure: its last `Error:` line (it prints usage and warnings around it). */
export function cosignError(result: CommandResult): string {
  const lines = lastLines(`${result.stdout}\n${result.stderr}`, 30);
  const error = [...lines].reverse().find((l) => /^Error:/.test(l)) ?? lines[lines.length - 1];
  return (error ?? `exit code ${result.code}`).replace(/^Error:\s*/, '');
}

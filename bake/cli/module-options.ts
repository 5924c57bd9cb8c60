import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { CREDENTIAL_IDS, readModuleCredentials } from '../golang/modules/module-credentials';
import type { CredentialSpec } from '../golang/modules/types';
import type { ModuleAccess } from '../pipeline/types';
import { moduleProxyProblem } from '../recipe/module-proxy-url';
import { collect } from './global-options';

export interface ModuleFlags {
  goProxy?: string;
  secret: string[];
}

/** `--go-proxy` and `--secret`, as `bake build` and `bake nightly` take them. */
export function addModuleOptions(command: Command): Command {
  return command
    .option(
      '--go-proxy <url>',
      "the site's module proxy (https) the builder fetches the recipes' module tools through; " +
        "overrides go.proxy; env BAKE_GO_PROXY (not the images' GOPROXY)",
      (value: string) => checkedProxy(value, '--go-proxy'),
    )
    .option(
      '--secret <id=file>',
      `a credential for the module proxy, reaching only the builder's secret mounts: ${CREDENTIAL_IDS.map(
        (id) => `${id}=FILE`,
      ).join(' or ')}; repeatable; env BAKE_NETRC, BAKE_GOAUTH`,
      collect,
      [],
    );
}

/**
 * The run's module proxy and credentials: flags first, then BAKE_GO_PROXY, BAKE_NETRC and
 * BAKE_GOAUTH. Credential files are checked for their shape here (a missing or malformed one
 * is a usage error naming the flag); their content never appears in a message.
 */
export async function moduleAccessOf(flags: ModuleFlags, env: NodeJS.ProcessEnv): Promise<ModuleAccess | undefined> {
  const proxy = flags.goProxy
    ? { url: flags.goProxy, source: '--go-proxy' }
    : env.BAKE_GO_PROXY
      ? { url: checkedProxy(env.BAKE_GO_PROXY, 'BAKE_GO_PROXY'), source: 'BAKE_GO_PROXY' }
      : undefined;
  const specs: CredentialSpec[] = flags.secret.map(parseSecretFlag);
  for (const [id, name] of [
    ['netrc', 'BAKE_NETRC'],
    ['goauth', 'BAKE_GOAUTH'],
  ] as const) {
    const file = env[name];
    if (file && !specs.some((s) => s.id === id)) specs.push({ id, file, source: name });
  }
  if (!proxy && specs.length === 0) return undefined;
  const credentials = specs.length ? await readModuleCredentials(specs) : undefined;
  return { ...(proxy ? { proxy } : {}), ...(credentials ? { credentials } : {}) };
}

function checkedProxy(value: string, where: string): string {
  const problem = moduleProxyProblem(value);
  if (problem) throw new BakeError(`${where}: ${problem}`, ExitCode.Usage);
  return value;
}

/** `netrc=FILE` or `goauth=FILE` (`id=netrc,src=FILE`, buildx's own form, is taken too). */
export function parseSecretFlag(value: string): CredentialSpec {
  const buildx = /^id=([^,]+),(?:src|source)=(.+)$/.exec(value);
  const [id, file] = buildx
    ? [buildx[1], buildx[2]]
    : [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)];
  if (!value.includes('=') || !(CREDENTIAL_IDS as readonly string[]).includes(id) || !file)
    throw new BakeError(
      `--secret: expected ${CREDENTIAL_IDS.map((i) => `${i}=FILE`).join(' or ')}, got ${JSON.stringify(
        value.includes('=') ? `${id}=...` : value.slice(0, 40),
      )}`,
      ExitCode.Usage,
    );
  return { id: id as CredentialSpec['id'], file, source: `--secret ${id}` };
}

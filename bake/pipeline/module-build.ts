import { BakeError, ExitCode } from '../common/errors';
import { probeModuleProxy } from '../golang/modules/module-proxy';
import type { Target } from '../recipe/types';
import { GO_PROXY_ARG, moduleTools } from '../render/module-tools';
import type { ModuleAccess, ModuleBuild } from './types';

/**
 * The build arguments and secrets of a builder stage with module tools (undefined without
 * them), after asking the proxy whether it answers: a missing or unreachable proxy, or one that
 * wants a credential nobody gave, is one clear line before any build step runs.
 */
export async function prepareModuleBuild(
  target: Pick<Target, 'tools' | 'go' | 'recipeFile' | 'ca'>,
  access: ModuleAccess | undefined,
): Promise<ModuleBuild | undefined> {
  const tools = moduleTools(target);
  if (tools.length === 0) return undefined;
  const proxy =
    access?.proxy ??
    (target.go.proxy ? { url: target.go.proxy, source: `go.proxy of ${target.recipeFile}` } : undefined);
  if (!proxy)
    throw new BakeError(
      `tool ${tools[0].name} (${tools[0].package}@${tools[0].module.version}) is fetched as a module, ` +
        'and no module proxy is named',
      ExitCode.Usage,
      "name the site's module proxy: go.proxy in the recipe, --go-proxy URL or BAKE_GO_PROXY",
    );
  const secrets = access?.credentials?.secrets ?? [];
  await probeModuleProxy({
    proxy: proxy.url,
    source: proxy.source,
    modules: tools.map((t) => t.module.path),
    extraCa: (target.ca?.extra ?? []).map((c) => c.pem),
    credentialGiven: secrets.length > 0,
  });
  return {
    proxy,
    buildArgs: { [GO_PROXY_ARG]: proxy.url },
    secrets,
    ...(access?.credentials ? { credentials: access.credentials } : {}),
  };
}

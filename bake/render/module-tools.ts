import { rootCertificates } from 'node:tls';
import { dockerfileQuote } from '../common/dockerfile-quote';
import { CREDENTIAL_IDS } from '../golang/modules/module-credentials';
import { GOROOT } from '../plan/go-environment';
import type { Target, TargetTool } from '../recipe/types';
import { BUILDER_OUT } from './run-steps';

/**
 * The recipe's module tools in the builder stage. The stage has no shell, so bake's own helper
 * (images/gotools, standard library only, compiled for the build platform first) runs the go
 * command's steps for each tool and checks what the proxy served before any of it is compiled
 * (its header says how). What reaches the stage besides the context:
 * - the site's module proxy as the build argument GO_PROXY_ARG (never an input of the plan:
 *   where modules come from does not change what they are, their hashes are checked);
 * - the credential as a BuildKit secret, mounted for the tool steps only (never an argument,
 *   an env value or a file of a layer);
 * - the modules in a tmpfs mount of the tool step: no module source is left in the builder's
 *   layers, nor in a cache mount another build on the engine could open, and every build asks
 *   the proxy again, so a credential is checked each time rather than once per engine.
 */

/** The helper's sources, as every context of a plan with module tools carries them. */
export const GOTOOLS_FILES = ['gotools/go.mod', 'gotools/main.go'] as const;
/** The builder's trust for the proxy's TLS: the site's CAs, then Node.js's Mozilla roots. */
export const GOTOOLS_TRUST = 'gotools/trust.pem';
/** The build argument carrying the module proxy's URL. */
export const GO_PROXY_ARG = 'BAKE_GO_PROXY';

const HELPER = '/tmp/bake-gotools/bake-gotools';
const SOURCES = '/src/gotools';
const MODULE_CACHE = '/tmp/go/pkg/mod';

export type ModuleTool = TargetTool & { module: NonNullable<TargetTool['module']> };

/** The tools a target fetches as modules (none: the builder stage is what it always was). */
export function moduleTools(target: Pick<Target, 'tools'>): ModuleTool[] {
  return target.tools.filter((t): t is ModuleTool => t.module !== undefined);
}

/** The builder's CA bundle: the site's CAs (ca.extra) first, then the public roots Node.js ships. */
export function builderTrustBundle(target: Pick<Target, 'ca'>): string {
  const site = (target.ca?.extra ?? []).map((c) => c.pem);
  return [...site, ...rootCertificates.map((pem) => `${pem.trim()}\n`)].join('');
}

/**
 * The builder stage's steps for module tools, after the probe and the distribution's tools;
 * empty when there are none. Values from the recipe are validated there (paths, versions,
 * hashes) and go into exec-form JSON or quoted ENV words, where BuildKit expands nothing.
 */
export function moduleToolSteps(target: Pick<Target, 'tools' | 'env'>): string[] {
  const tools = moduleTools(target);
  if (tools.length === 0) return [];
  const secretMounts = CREDENTIAL_IDS.map((id) => `--mount=type=secret,id=${id}`);
  const env: Record<string, string> = {
    GOOS: '$TARGETOS',
    GOARCH: '$TARGETARCH',
    GOPROXY: `$${GO_PROXY_ARG}`,
    // Private paths come through the proxy too: the builder has no VCS to fetch them directly.
    GONOPROXY: 'none',
    GOPRIVATE: target.env.GOPRIVATE,
    GONOSUMDB: target.env.GONOSUMDB,
    GOSUMDB: target.env.GOSUMDB,
    GOWORK: 'off',
    GOMODCACHE: MODULE_CACHE,
    SSL_CERT_FILE: `${SOURCES}/trust.pem`,
    NETRC: '/run/secrets/netrc',
    // A GOAUTH method other than off, netrc and git is the command line itself (go help goauth
    // calls it "command", but the go command runs its words as written).
    GOAUTH: `netrc;${HELPER} goauth /run/secrets/goauth`,
  };
  const envWords = Object.entries(env).map(([k, v]) => `${k}=${v.startsWith('$') ? v : dockerfileQuote(v)}`);
  return [
    `# The module tools, through the site's module proxy (build argument ${GO_PROXY_ARG}): the`,
    '# credential is a BuildKit secret of the tool steps alone, the modules stay in a tmpfs mount.',
    'ARG BUILDOS',
    'ARG BUILDARCH',
    `ARG ${GO_PROXY_ARG}`,
    `COPY gotools/ ${SOURCES}/`,
    `WORKDIR ${SOURCES}`,
    'ENV GOOS=$BUILDOS GOARCH=$BUILDARCH',
    `RUN ${JSON.stringify([`${GOROOT}/bin/go`, 'build', '-trimpath', '-ldflags=-s -w', '-o', HELPER, '.'])}`,
    `ENV ${envWords.join(' \\\n    ')}`,
    ...tools.map(
      (tool) =>
        `RUN ${[...secretMounts, `--mount=type=tmpfs,target=${MODULE_CACHE}`].join(' ')} ` +
        JSON.stringify([
          HELPER,
          'build',
          tool.name,
          tool.module.path,
          tool.module.version,
          tool.package,
          tool.module.sum ?? '-',
          `${BUILDER_OUT.tools}/${tool.name}`,
        ]),
    ),
  ];
}

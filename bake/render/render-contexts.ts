import { GO_TELEMETRY_MODE, GOROOT } from '../plan/go-environment';
import type { ImageKind } from '../recipe/types';
import { builderOf, packagesImageOf, POLICY_DIR, renderDockerfile, toolchainPolicyStage } from './dockerfile';
import { renderGoEnvFile, renderProfileScript } from './env-files';
import { readImageFile } from './image-files';
import { builderTrustBundle, GOTOOLS_FILES, GOTOOLS_TRUST, moduleTools } from './module-tools';
import { BUILDER_SOURCES, CACHE_TIMES_FILES } from './run-steps';
import { siteCaFiles } from './site-ca-files';
import { RUNTIME_FILES, runtimeAccountFiles } from './runtime-rootfs';
import type { RenderedContext, RenderedFile, RenderInput } from './types';

export interface RenderOptions {
  /** Adds `# syntax=REF`; off by default because BuildKit then pulls that frontend image. */
  dockerfileSyntax?: string;
}

/** Regular files in a context are world-readable and written by root: COPY keeps these modes. */
const FILE_MODE = 0o644;

/**
 * The build context of every image kind of the plan, in memory: same plan, same bytes.
 * Files are sorted by path. The Go distribution is not in it: the Dockerfile names its image.
 */
export function renderContexts(input: RenderInput, options: RenderOptions = {}): RenderedContext[] {
  const sources = BUILDER_SOURCES.map((path) => file(path, readImageFile(path)));
  const tools = toolFiles(input);
  const stages = {
    stdCache: readImageFile('stages/std-cache.Dockerfile.tmpl').toString('utf8'),
    builder: readImageFile('stages/builder.Dockerfile.tmpl').toString('utf8'),
    sources: sources.map((f) => f.content),
    cacheSources: sources.filter((f) => isCacheSource(f.path)).map((f) => f.content),
    tools: tools.map((f) => f.content),
  };
  const { images } = builderOf(input, stages);
  return input.target.kinds.map((kind) => {
    const dockerfile = renderDockerfile(
      input,
      kind,
      { kind: readImageFile(`${kind}/Dockerfile.tmpl`).toString('utf8'), ...stages },
      options.dockerfileSyntax,
    );
    const ca = siteCaFiles(input.target).map((f) => file(f.path, f.content));
    const files = [file('Dockerfile', dockerfile), ...sources, ...tools, ...ca, ...policyFiles(input, kind)];
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const packages = packagesImageOf(input, kind);
    return {
      kind,
      files,
      images,
      ...(packages ? { packages } : {}),
      ...(kind === 'toolchain' ? { policy: toolchainPolicyStage(input) } : {}),
    };
  });
}

function isCacheSource(path: string): boolean {
  return (CACHE_TIMES_FILES as readonly string[]).includes(path);
}

/** The module tools' helper sources and the builder's trust bundle; none without module tools. */
function toolFiles(input: RenderInput): RenderedFile[] {
  if (moduleTools(input.target).length === 0) return [];
  return [
    ...GOTOOLS_FILES.map((path) => file(path, readImageFile(path))),
    file(GOTOOLS_TRUST, builderTrustBundle(input.target)),
  ];
}

/** The toolchain's Go environment files; the runtime's account files (it has no Go). */
function policyFiles(input: RenderInput, kind: ImageKind): RenderedFile[] {
  if (kind === 'runtime') {
    const accounts = runtimeAccountFiles(input.target.user);
    return Object.entries(RUNTIME_FILES).map(([name, path]) =>
      file(`files/${path}`, accounts[name as keyof typeof RUNTIME_FILES]),
    );
  }
  return [
    file(
      `${POLICY_DIR}/etc/profile.d/go-env.sh`,
      renderProfileScript(readImageFile('files/etc/profile.d/go-env.sh.tmpl').toString('utf8'), input.env),
    ),
    file(
      `${POLICY_DIR}${GOROOT}/go.env`,
      renderGoEnvFile(readImageFile('files/go.env.tmpl').toString('utf8'), input.env),
    ),
    file('files/go-telemetry-mode', GO_TELEMETRY_MODE),
  ];
}

function file(path: string, content: string | Buffer): RenderedFile {
  return { path, mode: FILE_MODE, content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content };
}

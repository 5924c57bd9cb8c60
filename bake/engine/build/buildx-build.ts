import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import { buildFailure } from './build-failure';
import { BuildTrace } from './build-trace';
import { buildxArgv } from './buildx-argv';
import { contextBytesOf, RawjsonSplitter } from './rawjson-progress';
import type { RawjsonChunk } from './types';
import type { BuildRequest, BuildResult } from '../types';

/** After SIGINT (buildx then cancels the solve on the engine), how long before SIGKILL. */
const KILL_AFTER_MS = 5000;

/** Text lines kept from buildx's stderr, for the error of a failed build. */
const TEXT_TAIL = 20;

export interface BuildxOptions {
  /** The engine, as DOCKER_HOST for the docker CLI: buildx's default builder then is that engine. */
  endpoint: string;
  /** The environment the CLI inherits (DOCKER_CONFIG for registry credentials, DOCKER_CERT_PATH...). */
  env?: NodeJS.ProcessEnv;
  /** The docker CLI to run. */
  docker?: string;
  clock?: () => number;
}

/**
 * Runs one build through `docker buildx build` (the docker driver, so BuildKit inside the
 * engine itself) for the features the HTTP build API cannot carry: registry cache export and
 * import, provenance attestations, multi-platform images. Progress comes from
 * `--progress=rawjson` as the same events as the dockerode path; the untagged image id from
 * `--metadata-file`. The caller tags it, as with runDockerBuild.
 */
export async function runBuildxBuild(request: BuildRequest, options: BuildxOptions): Promise<BuildResult> {
  const platforms = request.buildkit?.platforms?.join(',') ?? request.platform;
  const label = `${request.tags[0] ?? basename(request.contextDir)} (${platforms})`;
  if (request.signal?.aborted) throw interrupted(label);
  const clock = options.clock ?? Date.now;
  const started = clock();
  const scratch = await fs.mkdtemp(join(tmpdir(), 'bake-buildx-'));
  const metadataFile = join(scratch, 'metadata.json');
  const trace = new BuildTrace();
  const splitter = new RawjsonSplitter();
  const text: string[] = [];
  let contextBytes = 0;
  const take = ({ responses, text: lines }: RawjsonChunk) => {
    for (const response of responses) {
      contextBytes = contextBytesOf(response, contextBytes);
      for (const event of trace.apply(response)) request.onProgress?.(event);
    }
    text.push(...lines);
    if (text.length > TEXT_TAIL) text.splice(0, text.length - TEXT_TAIL);
  };
  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      const child = spawn(options.docker ?? 'docker', buildxArgv(request, metadataFile), {
        env: childEnv(options.env ?? process.env, options.endpoint),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => take(splitter.push(chunk)));
      child.on('error', reject);
      child.on('close', (status, signal) => {
        request.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        take(splitter.end());
        resolve(status ?? signal ?? 'unknown');
      });
    });
    if (request.signal?.aborted) throw interrupted(label);
    if (code !== 0) throw failure(label, text, trace);
    const imageId = await imageIdFrom(metadataFile, label);
    return { imageId, durationMs: clock() - started, contextBytes, ...trace.counts() };
  } catch (err) {
    if (err instanceof BakeError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BakeError(
        `build of ${label} needs the docker CLI with buildx, and there is no ${options.docker ?? 'docker'} on PATH`,
        ExitCode.EngineUnavailable,
        'install the docker-cli and docker-buildx packages',
      );
    throw new BakeError(`build of ${label} could not run docker buildx: ${errorMessage(err)}`, ExitCode.Failure);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The CLI reaches exactly bake's engine: DOCKER_HOST set, a context or builder chosen in the
 * user's config left out of it (either would send the build somewhere else).
 */
export function childEnv(env: NodeJS.ProcessEnv, endpoint: string): NodeJS.ProcessEnv {
  const { DOCKER_CONTEXT: _context, BUILDX_BUILDER: _builder, ...rest } = env;
  return { ...rest, DOCKER_HOST: endpoint };
}

/** buildx's last `ERROR: ...` line is the engine's reason; a lost engine is not the build's fault. */
function failure(label: string, text: string[], trace: BuildTrace): BakeError {
  const errorLine = [...text].reverse().find((line) => line.startsWith('ERROR:'));
  const reason = errorLine?.slice('ERROR:'.length).trim() ?? text.slice(-3).join(' ').trim();
  if (/Cannot connect to the Docker daemon|connection refused|no such host/i.test(reason))
    return new BakeError(`build of ${label} lost the engine: ${reason}`, ExitCode.EngineUnavailable);
  return buildFailure(label, reason || 'docker buildx build failed without a message', trace.failedStep());
}

/**
 * `containerimage.digest` is the image's id in a containerd image store (the index or
 * manifest digest); `containerimage.config.digest` is the id in a classic one.
 */
async function imageIdFrom(metadataFile: string, label: string): Promise<string> {
  let metadata: Record<string, unknown> = {};
  try {
    metadata = JSON.parse(await fs.readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  } catch {
    // handled below
  }
  const id = metadata['containerimage.digest'] ?? metadata['containerimage.config.digest'];
  if (typeof id !== 'string' || !id.startsWith('sha256:'))
    throw new BakeError(`build of ${label} ended without an image id in buildx's metadata`, ExitCode.Failure);
  return id;
}

function interrupted(label: string): BakeError {
  return new BakeError(`build of ${label} interrupted`, ExitCode.Interrupted);
}

import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import * as tar from 'tar-stream';
import type { Readable } from 'node:stream';
import { parseGoEnvJson } from '../readiness/go-env-values';
import { readTree, treeListing, treeRecord } from './tree-listing';
import type { ArtifactAccess, Capture, CaptureSpec, TreeListing } from './types';

/** `go env` values that differ between two runs of the same environment (temporary dirs, the working directory). */
export const VOLATILE_GO_ENV = ['GOGCCFLAGS', 'GOMOD', 'GOWORK'];

/** The process environment that is the Go environment: Go's variables and PATH. */
export const GO_ENV_NAME = /^(GO[A-Z0-9_]*|CGO_[A-Z0-9_]+|PATH)$/;

/** Paths of `/` that a running container changes by itself (the kernel's, the engine's, scratch space). */
const ROOT_VOLATILE = /^(proc|sys|dev|run|\.dockerenv|etc\/(hostname|hosts|resolv\.conf|mtab))(\/|$)|^(var\/)?tmp\/./;

/** A capture with how each record family was read, for the findings' evidence. */
export interface LiveCapture extends Capture {
  evidence: Record<string, string>;
}

/**
 * The baseline facts of an artifact reached through the engine: its config, `go env` of the
 * build user (plain and login shell, where it has a shell), the policy files and the trees.
 * Files and trees come through the engine's archive API, never the artifact's own tools,
 * which may be what drifted.
 */
export async function captureArtifact(
  access: ArtifactAccess,
  spec: CaptureSpec,
  name: string,
  now: Date,
): Promise<LiveCapture> {
  const values: Record<string, string> = {};
  const trees: Record<string, TreeListing> = {};
  const login = `env -i HOME=${spec.user.home} bash -l -c 'go env -json', as ${spec.user.name}`;
  const runs = !!access.exec && spec.kind !== 'runtime';
  // The tree is most of the time (GOROOT through the archive API): everything else runs beside it.
  const [config, goEnv, goEnvLogin, files, listings] = await Promise.all([
    access.processConfig(),
    runs ? goEnvRecords(access, 'go.env', {}) : {},
    runs
      ? goEnvRecords(access, 'go.env.login', {
          user: spec.user.name,
          loginShell: true,
          env: { HOME: spec.user.home, USER: spec.user.name, LOGNAME: spec.user.name },
        })
      : {},
    Promise.all(spec.files.map(async (path) => [path, await fileRecord(access, path)] as const)),
    Promise.all(spec.trees.map(async (path) => [path, await treeOf(access, path)] as const)),
  ]);
  values.user = config.user;
  for (const [key, value] of Object.entries(config.env)) if (GO_ENV_NAME.test(key)) values[`env:${key}`] = value;
  Object.assign(values, goEnv, goEnvLogin);
  for (const [path, record] of files) values[`file:${path}`] = record;
  for (const [path, listing] of listings) {
    if (listing) trees[path] = listing;
    values[`tree:${path}`] = listing ? treeRecord(listing) : 'absent';
  }
  const archive = `${name}, read through the engine's archive API (not with the artifact's own tools)`;
  return {
    baseline: {
      schema: 'bake.baseline/v1',
      kind: spec.kind,
      capturedAt: now.toISOString(),
      values: sortKeys(values),
      buildUser: spec.user,
    },
    trees,
    evidence: {
      user: `${name}: its config (User)`,
      env: `${name}: its config (Env), what every process in it starts with`,
      'go.env': `${name}: go env -json, as the default user with the config's environment`,
      'go.env.login': `${name}: ${login}`,
      file: archive,
      tree: archive,
    },
  };
}

async function goEnvRecords(
  access: ArtifactAccess,
  family: string,
  opts: Parameters<NonNullable<ArtifactAccess['exec']>>[1],
): Promise<Record<string, string>> {
  const result = await access.exec!(['go', 'env', '-json'], opts);
  const env = result.exitCode === 0 ? parseGoEnvJson(result.stdout) : undefined;
  if (!env) {
    const why = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    return { [family]: `go env -json failed (exit ${result.exitCode}): ${why.slice(0, 200)}` };
  }
  return Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => !VOLATILE_GO_ENV.includes(key))
      .map(([key, value]) => [`${family}:${key}`, value]),
  );
}

/** `sha256=<hex> mode=<octal> uid=<n> gid=<n>`, `symlink=<target> ...`, or `absent`: what stat and sha256sum say. */
export async function fileRecord(access: ArtifactAccess, path: string): Promise<string> {
  const stream = await access.archive(path);
  if (!stream) return 'absent';
  const extract = tar.extract();
  stream.on('error', (err) => extract.destroy(err));
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const owner = `mode=${((h.mode ?? 0) & 0o7777).toString(8)} uid=${h.uid ?? 0} gid=${h.gid ?? 0}`;
      if (h.type === 'symlink') return `symlink=${h.linkname ?? ''} ${owner}`;
      if (h.type !== 'file') return `type=${h.type ?? '?'} ${owner}`;
      const hash = createHash('sha256');
      for await (const chunk of entry) hash.update(chunk as Buffer);
      return `sha256=${hash.digest('hex')} ${owner}`;
    }
    return 'absent';
  } finally {
    extract.destroy();
    stream.destroy();
  }
}

async function treeOf(access: ArtifactAccess, path: string): Promise<TreeListing | undefined> {
  const stream: Readable | undefined = await access.archive(path);
  if (!stream) return undefined;
  const root = path === '/';
  const entries = await readTree(stream, {
    prefix: root ? '' : posix.basename(path),
    exclude: root ? (p) => ROOT_VOLATILE.test(p) : undefined,
  });
  return treeListing(entries);
}

function sortKeys(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

import type {
  Driver,
  ExecOptions,
  ExecResult,
  ImageConfig,
  LayerFile,
  ReadinessExpectations,
} from '../../../bake/readiness/types';
import type { Target } from '../../../bake/recipe/types';

type Responder = (argv: string[], opts: ExecOptions) => ExecResult | undefined;

/**
 * A Driver with canned answers, to test each check's decision logic. Every exec is recorded;
 * a command no responder answers exits 127 like a missing program would.
 */
export class FakeDriver implements Driver {
  readonly calls: { argv: string[]; opts: ExecOptions }[] = [];
  private readonly responders: Responder[] = [];
  /** Files by path; an image of bake's has the build user's account. */
  files = new Map<string, Buffer>([
    ['/etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/sh\ngobuild:x:10001:10001::/home/gobuild:/bin/sh\n')],
  ]);
  config?: ImageConfig;
  layers?: { path: string; content?: string; size?: number; type?: LayerFile['type']; layer?: string }[];

  /** Answers commands whose argv (joined by spaces) contains `needle`. */
  on(
    needle: string | RegExp,
    answer: Partial<ExecResult> | ((argv: string[], opts: ExecOptions) => Partial<ExecResult>),
  ): this {
    this.responders.push((argv, opts) => {
      const joined = argv.join(' ');
      const hit = typeof needle === 'string' ? joined.includes(needle) : needle.test(joined);
      if (!hit) return undefined;
      const a = typeof answer === 'function' ? answer(argv, opts) : answer;
      return { exitCode: a.exitCode ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    });
    return this;
  }

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push({ argv, opts });
    for (const r of this.responders) {
      const res = r(argv, opts);
      if (res) return res;
    }
    return { exitCode: 127, stdout: '', stderr: `${argv[0]}: not found` };
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    return this.files.get(path);
  }

  async close(): Promise<void> {}

  withConfig(config: Partial<ImageConfig>): this {
    this.config = {
      env: {},
      user: '',
      labels: {},
      workingDir: '/',
      history: [],
      sizeBytes: 0,
      os: 'linux',
      architecture: 'amd64',
      ...config,
    };
    (this as Driver).imageConfig = async () => this.config as ImageConfig;
    return this;
  }

  withLayers(layers: NonNullable<FakeDriver['layers']>): this {
    this.layers = layers;
    const entries = layers;
    (this as Driver).layerFiles = async function* () {
      for (const e of entries) {
        const content = Buffer.from(e.content ?? '');
        yield {
          path: e.path,
          type: e.type ?? 'file',
          mode: 0o644,
          uid: 0,
          size: e.size ?? content.length,
          layer: e.layer ?? 'layer 1',
          read: async () => content,
        };
      }
    };
    return this;
  }
}

export const goEnvPolicy: Target['env'] = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOPRIVATE: '',
  GONOPROXY: '',
  GONOSUMDB: '',
  GOFLAGS: '-mod=readonly',
  GO111MODULE: 'on',
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
};

export function expectations(overrides: Partial<ReadinessExpectations> = {}): ReadinessExpectations {
  const target = {
    name: 'debian12-amd64',
    recipe: 'debian12',
    recipeFile: 'recipes/debian12.yaml',
    distro: 'debian',
    version: '12',
    family: 'debian',
    arch: 'amd64',
    kinds: ['toolchain', 'runtime'],
    base: { ref: 'docker.io/library/debian:bookworm@sha256:' + 'a'.repeat(64) },
    packages: ['ca-certificates', 'git', 'tzdata'],
    go: { versions: '1.22.x', sources: ['debian'] },
    env: goEnvPolicy,
    user: { name: 'gobuild', uid: 10001, gid: 10001 },
    tools: [],
    image: { sizeBudgetMB: 1024, runtimeSizeBudgetMB: 256 },
    vm: {} as Target['vm'],
    checks: { extra: [], skip: [] },
  } as Target;
  const home = '/home/gobuild';
  return {
    target,
    kind: 'toolchain',
    goVersion: '1.22.12',
    arch: 'amd64',
    env: {
      GOROOT: '/usr/local/go',
      PATH: `/usr/local/go/bin:${home}/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      GOPATH: `${home}/go`,
      GOCACHE: `${home}/.cache/go-build`,
      GOMODCACHE: `${home}/go/pkg/mod`,
      ...goEnvPolicy,
    },
    goBinarySha256: 'b'.repeat(64),
    user: { name: 'gobuild', uid: 10001, gid: 10001, home },
    requiredLabels: { 'io.bake.target': 'debian12-amd64', 'io.bake.go.version': '1.22.12' },
    sizeBudgetMB: 1024,
    caBundlePath: '/etc/ssl/certs/ca-certificates.crt',
    ...overrides,
  };
}

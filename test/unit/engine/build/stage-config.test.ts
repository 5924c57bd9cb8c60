import { EMPTY_LAYER, historyEntries, stageConfig, withEnv } from '../../../../bake/engine/build/stage-config';
import type { SourceImage } from '../../../../bake/engine/build/types';

const layer = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

const source = (over: Partial<SourceImage> = {}): SourceImage => ({
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  config: {
    // inspect's Config is a container config: these fields are not the image's.
    Hostname: '',
    AttachStdout: false,
    Image: 'sha256:feed',
    Env: ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8'],
    Cmd: ['bash'],
    Entrypoint: null,
    Labels: { 'z.base': '1', 'a.base': 'old' },
    WorkingDir: '',
  },
  diffIds: [layer(1), layer(2), EMPTY_LAYER],
  history: [
    { created: 1704067200, createdBy: 'ADD rootfs.tar /', comment: '', size: 100 },
    { created: 1704067200, createdBy: 'CMD ["bash"]', comment: '', size: 0 },
    { created: 1793651780, createdBy: 'RUN install', comment: 'buildkit.dockerfile.v0', size: 7 },
    { created: 1793651780, createdBy: 'WORKDIR /w', comment: 'buildkit.dockerfile.v0', size: 0 },
  ],
  ...over,
});

const stage = {
  env: [
    ['GOROOT', '/usr/local/go'],
    ['PATH', '/usr/local/go/bin:/usr/bin:/bin'],
  ] as [string, string][],
  labels: { 'a.base': 'new', 'm.kind': 'toolchain' },
  user: '10001:10001',
  workdir: '/home/gobuild',
  created: 1793651780,
};
const policyLayer = { diffId: layer(9), files: ['etc/profile.d/go-env.sh', 'usr/local/go/go.env'] };

describe('stageConfig', () => {
  const parsed = () => JSON.parse(stageConfig(source(), stage, policyLayer).toString('utf8'));

  it('gives the same bytes for the same source and stage', () => {
    expect(stageConfig(source(), stage, policyLayer).equals(stageConfig(source(), stage, policyLayer))).toBe(true);
    const other = stageConfig(source(), { ...stage, env: [['GOPROXY', 'https://proxy.example']] }, policyLayer);
    expect(other.equals(stageConfig(source(), stage, policyLayer))).toBe(false);
  });

  it("keeps the image's own config fields, not inspect's container fields, and applies the stage", () => {
    const config = parsed();
    expect(Object.keys(config)).toEqual(['architecture', 'config', 'created', 'history', 'os', 'rootfs', 'variant']);
    expect(config.config).toEqual({
      Env: ['PATH=/usr/local/go/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'GOROOT=/usr/local/go'],
      Cmd: ['bash'],
      Labels: { 'a.base': 'new', 'm.kind': 'toolchain', 'z.base': '1' },
      User: '10001:10001',
      WorkingDir: '/home/gobuild',
    });
    expect(Object.keys(config.config.Labels)).toEqual(['a.base', 'm.kind', 'z.base']);
    expect(config.created).toBe('2026-11-02T20:36:20Z');
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [layer(1), layer(2), EMPTY_LAYER, layer(9)] });
    expect([config.architecture, config.os, config.variant]).toEqual(['arm64', 'linux', 'v8']);
  });

  it("appends the stage's steps to the history, one of them with a layer", () => {
    const history = parsed().history as { created_by: string; empty_layer?: boolean; comment?: string }[];
    expect(history.slice(4).map((h) => [h.created_by, h.empty_layer ?? false, h.comment])).toEqual([
      ['COPY etc/profile.d/go-env.sh usr/local/go/go.env /', false, 'bake'],
      ['ENV GOROOT=/usr/local/go PATH=/usr/local/go/bin:/usr/bin:/bin', true, 'bake'],
      ['LABEL a.base=new m.kind=toolchain', true, 'bake'],
      ['USER 10001:10001', true, 'bake'],
      ['WORKDIR /home/gobuild', true, 'bake'],
    ]);
    // Every layer has exactly one history entry that made it.
    expect(history.filter((h) => !h.empty_layer)).toHaveLength(4);
  });

  it('leaves the history out when the source history cannot be matched to its layers', () => {
    const unmatched = source({ diffIds: [layer(1), layer(2), layer(3)] });
    const config = JSON.parse(stageConfig(unmatched, stage, policyLayer).toString('utf8'));
    expect(config.history).toBeUndefined();
    expect(config.rootfs.diff_ids).toHaveLength(4);
  });
});

describe('historyEntries', () => {
  it('pairs sized entries with layers, and an entry without size with an empty layer only', () => {
    const entries = historyEntries(source()) as { created: string; created_by: string; empty_layer?: true }[];
    expect(entries.map((e) => [e.created_by, e.empty_layer ?? false])).toEqual([
      ['ADD rootfs.tar /', false],
      ['CMD ["bash"]', true],
      ['RUN install', false],
      ['WORKDIR /w', false],
    ]);
    expect(entries[0].created).toBe('2024-01-01T00:00:00Z');
  });

  it('is undefined when the entries make more or fewer layers than the image has', () => {
    expect(historyEntries({ ...source(), diffIds: [layer(1)] })).toBeUndefined();
    expect(historyEntries({ ...source(), diffIds: [layer(1), layer(2), EMPTY_LAYER, layer(4)] })).toBeUndefined();
  });
});

describe('withEnv', () => {
  it('replaces a variable where it stands and appends new ones, in the order given', () => {
    expect(
      withEnv(
        ['A=1', 'PATH=/bin', 'B'],
        [
          ['PATH', '/x:/bin'],
          ['C', 'a=b'],
          ['B', '2'],
        ],
      ),
    ).toEqual(['A=1', 'PATH=/x:/bin', 'B=2', 'C=a=b']);
  });
});

import { buildkitItems } from '../../../../bake/engine/daemon/doctor-buildkit';
import type { BuildkitCapabilities, EngineInfo } from '../../../../bake/engine/types';

const engine = (serverVersion: string, apiVersion: string, buildkit = true): EngineInfo => ({
  endpoint: 'unix:///var/run/docker.sock',
  serverVersion,
  apiVersion,
  buildkit,
  arch: 'amd64',
  os: 'linux',
  dataRoot: '/var/lib/docker',
  storageDriver: 'overlay2',
  embedded: false,
});
const full: BuildkitCapabilities = {
  containerdStore: true,
  buildx: true,
  buildxVersion: '0.13.1',
  buildkitVersion: '0.13.2',
};
const statuses = (items: ReturnType<typeof buildkitItems>) => Object.fromEntries(items.map((i) => [i.id, i.status]));

describe('buildkitItems', () => {
  it('Docker 26 with buildx and the containerd store: every feature, with the versions', () => {
    const items = buildkitItems(engine('26.1.5', '1.45'), full);
    expect(statuses(items)).toEqual({ buildkit: 'ok', buildx: 'ok', 'image-store': 'ok' });
    expect(items[0].detail).toMatch(/^BuildKit v0\.13\.2: .*SOURCE_DATE_EPOCH/);
    expect(items[1].detail).toMatch(/^docker buildx 0\.13\.1: --cache-to, --cache-from and --provenance/);
  });

  it('Docker 20.10 still builds, with a warning that its digests are not reproducible', () => {
    const items = buildkitItems(engine('20.10.24', '1.41'), { containerdStore: false, buildx: 'no docker on PATH' });
    expect(statuses(items)).toEqual({ buildkit: 'warning', buildx: 'warning', 'image-store': 'warning' });
    expect(items[0].detail).toMatch(/Docker Engine 20\.10\.24 .*ignores SOURCE_DATE_EPOCH/);
    expect(items[1]).toMatchObject({
      detail: expect.stringMatching(/^no docker on PATH/),
      fix: 'sudo apt-get install -y docker-buildx',
    });
    expect(items[2].fix).toContain('"containerd-snapshotter": true');
  });

  it('an engine without BuildKit is missing, the one item that stops a build', () => {
    expect(buildkitItems(engine('18.09.0', '1.38', false), full).map((i) => [i.id, i.status])).toEqual([
      ['buildkit', 'missing'],
    ]);
  });
});

import { baseDigest, planCore } from '../../../bake/plan/plan-core';
import { fixtureGo, handMadeTarget } from '../render/render-fixtures';

const verdict = { status: 'supported' as const, line: '1.22', recommended: '1.22.12', messages: [] };

describe('planCore', () => {
  const target = handMadeTarget();
  const go = { ...fixtureGo(target), path: '/home/me/.cache/bake/sha256/abc' };

  test('records the Go distribution without where it sits in this cache', () => {
    const core = planCore({ target, go, sourceDateEpoch: 1, verdict });
    expect(core.go).not.toHaveProperty('path');
    expect(core.go.sha256).toBe(go.sha256);
    expect(core).not.toHaveProperty('builderGo');
    const cross = planCore({ target, go, builderGo: { ...go, arch: 'arm64' }, sourceDateEpoch: 1, verdict });
    expect(cross.builderGo).toMatchObject({ arch: 'arm64' });
    expect(cross.builderGo).not.toHaveProperty('path');
  });

  test('the base: its pinned digest, the bootstrap it allows, and the archive state when resolved', () => {
    const plain = planCore({ target, go, sourceDateEpoch: 1, verdict });
    expect(plain.base).toEqual({ ref: target.base.ref, digest: `sha256:${'0'.repeat(64)}` });
    expect(plain).not.toHaveProperty('packages');
    const bootstrap = { suite: 'bookworm', variant: 'minbase' as const };
    const archive = { suite: 'bookworm', arch: 'amd64' as const, digest: 'sha256:1', packages: { apt: '2.6.1' } };
    const packages = { pinned: true, manager: 'apt' as const, images: {} };
    const resolved = planCore({
      target: handMadeTarget({ base: { ...target.base, bootstrap } }),
      go,
      sourceDateEpoch: 1,
      verdict,
      os: { base: archive, packages },
    });
    expect(resolved.base).toMatchObject({ bootstrap, archive });
    expect(resolved.packages).toBe(packages);
  });

  test('environment and labels come from the target and the distribution', () => {
    const core = planCore({ target, go, sourceDateEpoch: 1793651780, verdict });
    expect(core.env.GOROOT).toBe('/usr/local/go');
    expect(core.labels['io.bake.go.version']).toBe(go.version);
    expect(core.labels['org.opencontainers.image.created']).toBe('2026-11-02T20:36:20Z');
    expect(core.schema).toBe('bake.plan/v1');
  });
});

describe('baseDigest', () => {
  test('the digest a reference is pinned to', () => {
    expect(baseDigest('docker.io/library/debian:bookworm@sha256:abc')).toBe('sha256:abc');
  });
});

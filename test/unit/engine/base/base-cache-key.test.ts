import { bootstrapCacheKey, bootstrapImageTag, bootstrapPackages } from '../../../../bake/engine/base/base-cache-key';
import type { BootstrapSpec } from '../../../../bake/engine/base/types';
import { pulledBaseTag } from '../../../../bake/engine/base/base-image';

const spec: BootstrapSpec = {
  suite: 'bookworm',
  arch: 'arm64',
  variant: 'minbase',
  packages: ['git', 'tzdata', 'ca-certificates'],
  toolVersion: 'mmdebstrap 1.3.5',
};

describe('bootstrap cache key', () => {
  test('is a sha256 that ignores package order and duplicates, and always includes ca-certificates', () => {
    const key = bootstrapCacheKey(spec);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(bootstrapCacheKey({ ...spec, packages: ['tzdata', 'git', 'git'] })).toBe(key);
    expect(bootstrapPackages(['tzdata', 'git'])).toEqual(['ca-certificates', 'git', 'tzdata']);
  });

  test('changes with suite, arch, packages and tool version', () => {
    const key = bootstrapCacheKey(spec);
    const variants: Partial<BootstrapSpec>[] = [
      { suite: 'trixie' },
      { arch: 'amd64' },
      { packages: ['git'] },
      { toolVersion: 'mmdebstrap 1.5.0' },
    ];
    const keys = variants.map((v) => bootstrapCacheKey({ ...spec, ...v }));
    expect(new Set([key, ...keys]).size).toBe(5);
  });

  test('the image tag names suite, arch and the first 12 hex digits of the key', () => {
    const key = bootstrapCacheKey(spec);
    expect(bootstrapImageTag(spec)).toBe(`bake-base/bookworm:arm64-${key.slice(0, 12)}`);
  });
});

describe('pulled base tag', () => {
  test('one bake-owned name per arch and digest, so both arches of one index digest coexist', () => {
    const ref = `docker.io/library/debian:bookworm@sha256:${'ab'.repeat(32)}`;
    expect(pulledBaseTag(ref, 'amd64')).toBe('bake-base/debian:amd64-abababababab');
    expect(pulledBaseTag(`registry.example:5000/team/Rocky@sha256:${'cd'.repeat(32)}`, 'arm64')).toBe(
      'bake-base/rocky:arm64-cdcdcdcdcdcd',
    );
  });
});

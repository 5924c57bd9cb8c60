import { pulledBaseTag } from '../../../../bake/engine/base/base-image';

const DIGEST = `sha256:${'17122fe3d669'}${'0'.repeat(52)}`;

describe('pulledBaseTag', () => {
  test('one bake-owned name per base and architecture, from the digest', () => {
    expect(pulledBaseTag(`docker.io/library/debian:bookworm@${DIGEST}`, 'arm64')).toBe(
      'bake-base/debian:arm64-17122fe3d669',
    );
    expect(pulledBaseTag(`docker.io/library/debian:bookworm@${DIGEST}`, 'amd64')).toBe(
      'bake-base/debian:amd64-17122fe3d669',
    );
  });

  test('the last path element of the repository, lower-cased, with or without a tag or registry port', () => {
    expect(pulledBaseTag(`registry.example:5000/Team/RockyLinux@${DIGEST}`, 'amd64')).toBe(
      'bake-base/rockylinux:amd64-17122fe3d669',
    );
  });
});

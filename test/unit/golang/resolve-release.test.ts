import { BakeError, ExitCode } from '../../../bake/common/errors';
import { resolveRelease } from '../../../bake/golang/resolve-release';
import type { GoReleaseIndex } from '../../../bake/golang/types';
import { PolicyRefusedError } from '../../../bake/golang/version-policy';
import { NOW, TEST_POLICY } from './go-fixtures';

const SHA = 'b'.repeat(64);
function release(version: string, stable = true, arches = ['amd64', 'arm64']): GoReleaseIndex[number] {
  return {
    version,
    stable,
    files: arches.map((arch) => ({
      filename: `${version}.linux-${arch}.tar.gz`,
      os: 'linux',
      arch,
      version,
      sha256: SHA,
      size: 1,
      kind: 'archive' as const,
    })),
  };
}

// Order as go.dev lists it (newest first), with the traps resolution must avoid.
const index: GoReleaseIndex = [
  release('go1.24rc1', false),
  release('go1.23.6', true, ['amd64']),
  release('go1.23.5'),
  release('go1.22.13rc1', true), // a pre-release wrongly marked stable
  release('go1.22.12'),
  release('go1.22.10'),
  release('go1.22'),
  release('go1.21.13'),
];

describe('resolveRelease', () => {
  it('picks the newest stable release in range with an archive for the arch', () => {
    const resolved = resolveRelease(index, '1.22.x', 'arm64', TEST_POLICY, NOW, 'MIRROR');
    expect(resolved.version).toBe('1.22.12');
    expect(resolved.file.filename).toBe('go1.22.12.linux-arm64.tar.gz');
    expect(resolved.verdict).toMatchObject({ status: 'supported', line: '1.22' });
  });

  it('skips a release without an archive for the arch', () => {
    expect(resolveRelease(index, '1.23.x', 'arm64', TEST_POLICY, NOW).version).toBe('1.23.5');
    expect(resolveRelease(index, '1.23.x', 'amd64', TEST_POLICY, NOW).version).toBe('1.23.6');
  });

  it('reads old-style "go1.22" as 1.22.0', () => {
    const lenient = { upstreamLines: 0, lines: [{ ...TEST_POLICY.lines[1], minimumPatch: '1.22.0' }] };
    expect(resolveRelease(index, '1.22.0', 'amd64', lenient, NOW).file.filename).toBe('go1.22.linux-amd64.tar.gz');
  });

  it('never picks a release candidate', () => {
    expect(() => resolveRelease(index, '1.24.x', 'arm64', TEST_POLICY, NOW, 'MIRROR')).toThrow(
      'no Go release matches 1.24.x for arm64 in MIRROR; available: 1.23.5, 1.22.12, 1.22.10, 1.22.0, 1.21.13',
    );
  });

  it('names range, arch, source and what is available when nothing matches', () => {
    let err: unknown;
    try {
      resolveRelease(index, '1.25.x', 'arm64', TEST_POLICY, NOW, 'https://go.dev/dl/');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Unavailable);
    expect((err as Error).message).toBe(
      'no Go release matches 1.25.x for arm64 in https://go.dev/dl/; available: 1.23.5, 1.22.12, 1.22.10, 1.22.0, 1.21.13',
    );
  });

  it('refuses a resolved version outside the policy', () => {
    expect(() => resolveRelease(index, '1.21.x', 'arm64', TEST_POLICY, NOW)).toThrow(PolicyRefusedError);
    expect(() => resolveRelease(index, '1.21.x', 'arm64', TEST_POLICY, NOW)).toThrow(
      'line 1.21 reached its end of support on 2025-02-11',
    );
    expect(() => resolveRelease(index, '<=1.22.9 >=1.22.0', 'arm64', TEST_POLICY, NOW)).toThrow(
      'Go 1.22.0 is refused by the version policy: below the minimum patch 1.22.10',
    );
  });

  it('warns when the resolved line is within 30 days of its end', () => {
    const resolved = resolveRelease(index, '1.22.x', 'arm64', TEST_POLICY, new Date('2027-06-15T00:00:00Z'));
    expect(resolved.verdict.status).toBe('expiring');
    expect(resolved.verdict.messages[0]).toMatch(/^Go 1\.22 reaches end of support on 2027-06-30 \(16 days left\)/);
  });

  it('rejects an invalid range', () => {
    expect(() => resolveRelease(index, 'one.two', 'arm64', TEST_POLICY, NOW)).toThrow(
      'Go version range "one.two" is not a valid semver range',
    );
  });
});

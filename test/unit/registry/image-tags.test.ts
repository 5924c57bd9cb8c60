import { imageTags, isImmutableTagOf } from '../../../bake/registry/image-tags';
import type { Plan } from '../../../bake/plan/types';
import { fixtureCore, fixtureGo, handMadeTarget } from '../render/render-fixtures';

function planOf(
  arch: 'amd64' | 'arm64' = 'amd64',
  version = '1.22.12',
  digest = `sha256:0123456789ab${'c'.repeat(52)}`,
): Plan {
  const target = handMadeTarget({ arch, name: `testos1-${arch}` });
  return {
    ...fixtureCore(target, fixtureGo(target, version)),
    contexts: { toolchain: [], runtime: [] },
    inputsDigest: digest,
  };
}

describe('imageTags', () => {
  test(
    'toolchain: repository <prefix>/<recipe>-go; ' +
      'immutable tag with version, day, inputs digest, arch; moving tags per arch',
    () => {
      expect(imageTags(planOf(), 'toolchain', new Date('2026-01-05T23:59:59Z'))).toEqual({
        repository: 'bake/testos1-go',
        immutable: '1.22.12-20260105-0123456789ab-amd64',
        moving: ['1.22-amd64', '1.22.12-amd64'],
        rejected: 'bake-rejected-0123456789ab-amd64',
      });
    },
  );

  test('runtime under another prefix, on arm64', () => {
    const tags = imageTags(planOf('arm64'), 'runtime', new Date('2026-12-31T00:00:00Z'), '127.0.0.1:5000/golden');
    expect(tags.repository).toBe('127.0.0.1:5000/golden/testos1-runtime');
    expect(tags.immutable).toBe('1.22.12-20261231-0123456789ab-arm64');
    expect(tags.rejected).toBe('bake-rejected-0123456789ab-arm64');
  });

  test('the day is the UTC day', () => {
    expect(imageTags(planOf(), 'toolchain', new Date('2026-01-05T23:30:00-05:00')).immutable).toBe(
      '1.22.12-20260106-0123456789ab-amd64',
    );
  });
});

describe('isImmutableTagOf', () => {
  const plan = planOf('amd64', '1.22.1');

  test('matches the immutable tag of this plan on any day', () => {
    expect(isImmutableTagOf(imageTags(plan, 'toolchain', new Date('2026-01-05T00:00:00Z')).immutable, plan)).toBe(true);
    expect(isImmutableTagOf('1.22.1-20990101-0123456789ab-amd64', plan)).toBe(true);
  });

  test.each([
    ['another arch', '1.22.1-20260105-0123456789ab-arm64'],
    ['other inputs', '1.22.1-20260105-ffffffffffff-amd64'],
    ['another patch release that starts the same', '1.22.12-20260105-0123456789ab-amd64'],
    ['a dot that is not a dot', '1x22x1-20260105-0123456789ab-amd64'],
    ['a moving tag', '1.22.1-amd64'],
    ['a longer tag', '1.22.1-20260105-0123456789ab-amd64-old'],
  ])('not %s', (_what, tag) => {
    expect(isImmutableTagOf(tag, plan)).toBe(false);
  });
});

import { spawnSync } from 'node:child_process';
import { compareDebianVersions, splitVersion } from '../../../bake/common/debian-version';

describe('compareDebianVersions', () => {
  test.each([
    ['1.22.12-3~bpo12+1', '1.22.12-3', -1],
    ['1.22.12-3', '1.22.12-3~bpo12+1', 1],
    ['1.22.12-2', '1.22.12-3~bpo12+1', -1],
    ['1.22.9-1', '1.22.12-1', -1],
    ['1:1.0-1', '2.0-1', 1],
    ['1.24~rc2-1', '1.24-1', -1],
    ['1.0-1', '1.0-1', 0],
    ['1.0a-1', '1.0-1', 1],
    ['1.0+dfsg-1', '1.0-1', 1],
    ['1.0-1', '1.0-1.1', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareDebianVersions(a, b))).toBe(sign);
  });
});

describe('compareDebianVersions agrees with dpkg', () => {
  // dpkg is the definition of the order. Both orders are total, so sorting with bake's and
  // checking each neighbour pair with `dpkg --compare-versions` (one shell for all) checks them all.
  const VERSIONS = [
    '1.0',
    '1.0-1',
    '1.0-2',
    '1.0-10',
    '1.0~rc1',
    '1.0~~',
    '1.0~rc1~',
    '1.0a',
    '1.0+',
    '1.0.1',
    '1.00',
    '1:0.9',
    '2:0.1',
    '1.22.12-1~bpo12+1',
    '1.22.12-1',
    '1.22.12-1+b1',
    '1.22.12-1~bpo12+1+b1',
    '1.24~rc2-1',
    'a',
    'A',
    '~',
    '0',
    '1.0-1.1',
    '1.0-a',
    '1.0.0~git20240101',
  ];

  test('on a list of tricky versions', () => {
    const sorted = [...VERSIONS].sort(compareDebianVersions);
    const pairs = sorted.slice(1).map((b, i) => [sorted[i], b, compareDebianVersions(sorted[i], b) < 0 ? 'lt' : 'eq']);
    const script = pairs
      .map(([a, b, op]) => `dpkg --compare-versions '${a}' ${op} '${b}' && echo ok || echo "no: ${a} ${op} ${b}"`)
      .join('\n');
    const result = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(result.stdout.trim().split('\n')).toEqual(pairs.map(() => 'ok'));
  });
});

describe('splitVersion', () => {
  test('epoch, upstream version and revision (the last dash splits)', () => {
    expect(splitVersion('2:1.22.1+dfsg-1~bpo12+1')).toEqual({
      epoch: 2,
      upstream: '1.22.1+dfsg',
      revision: '1~bpo12+1',
    });
    expect(splitVersion('1.0-2-3')).toEqual({ epoch: 0, upstream: '1.0-2', revision: '3' });
    expect(splitVersion('1.24.4')).toEqual({ epoch: 0, upstream: '1.24.4', revision: '' });
    expect(splitVersion('x:1.0')).toEqual({ epoch: 0, upstream: '1.0', revision: '' });
  });
});

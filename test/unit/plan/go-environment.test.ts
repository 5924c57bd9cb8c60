import { ExitCode } from '../../../bake/common/errors';
import {
  GOROOT,
  goEnvironment,
  goTelemetryModeFile,
  POLICY_KEYS,
  policyValues,
  userHome,
} from '../../../bake/plan/go-environment';
import { handMadeTarget } from '../render/render-fixtures';

describe('userHome', () => {
  test('/home/<name> for a user useradd takes as it is', () => {
    expect(userHome({ name: 'gobuild', uid: 10001, gid: 10001 })).toBe('/home/gobuild');
    expect(userHome({ name: '_ci-user9', uid: 0, gid: 0 })).toBe('/home/_ci-user9');
  });

  test.each(['Go', '9lives', 'a b', '../root', 'x$(id)', '', 'a'.repeat(33)])(
    'refuses the name %j (it goes unquoted into paths and WORKDIR)',
    (name) => {
      expect(() => userHome({ name, uid: 1, gid: 1 })).toThrow(
        expect.objectContaining({
          exitCode: ExitCode.InvalidRecipe,
          message: expect.stringContaining('POSIX user name'),
        }),
      );
    },
  );

  test.each([
    ['uid', { uid: -1, gid: 1 }],
    ['gid', { uid: 1, gid: 1.5 }],
    ['uid', { uid: Number.NaN, gid: 1 }],
  ])('refuses a %s that is not a whole number of 0 or more', (what, ids) => {
    expect(() => userHome({ name: 'gobuild', ...ids })).toThrow(`build user ${what}`);
  });
});

describe('goEnvironment', () => {
  test("paths from GOROOT and the build user's home, then the recipe's policy, in a fixed order", () => {
    const target = handMadeTarget({ user: { name: 'builder', uid: 2000, gid: 2000 } });
    const env = goEnvironment(target);
    expect(Object.keys(env)).toEqual(['GOROOT', 'PATH', 'GOPATH', 'GOBIN', 'GOCACHE', 'GOMODCACHE', ...POLICY_KEYS]);
    expect(env).toMatchObject({
      GOROOT: '/usr/local/go',
      PATH: '/usr/local/go/bin:/home/builder/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      GOPATH: '/home/builder/go',
      GOBIN: '/home/builder/go/bin',
      GOCACHE: '/home/builder/.cache/go-build',
      GOMODCACHE: '/home/builder/go/pkg/mod',
    });
    for (const key of POLICY_KEYS) expect(env[key]).toBe(target.env[key]);
    expect(GOROOT).toBe('/usr/local/go');
  });
});

describe('policyValues', () => {
  test('the policy keys in their order, an absent one empty', () => {
    const values = policyValues({ GOPROXY: 'off', GOROOT: '/x' });
    expect(values.map(([k]) => k)).toEqual([...POLICY_KEYS]);
    expect(values[0]).toEqual(['GOPROXY', 'off']);
    expect(values[1]).toEqual(['GOSUMDB', '']);
  });
});

describe('goTelemetryModeFile', () => {
  test("where the go command reads the user's telemetry mode", () => {
    expect(goTelemetryModeFile('/home/gobuild')).toBe('/home/gobuild/.config/go/telemetry/mode');
  });
});

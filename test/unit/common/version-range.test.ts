import { compareDebianVersions } from '../../../bake/common/debian-version';
import { compareRpmVersions, rpmvercmp } from '../../../bake/common/rpm-version';
import { satisfiesRange, versionProblem, versionRangeProblem } from '../../../bake/common/version-range';

describe('rpm version ordering (rpmvercmp)', () => {
  // Cases from rpm's own test suite (rpmvercmp.at).
  it.each([
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p10', -1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0^git1~pre', '1.0^git1', -1],
    ['a', '1', -1],
    ['010', '10', 0],
    ['1.0a', '1.0.a', 0],
  ])('%s vs %s: %d', (a, b, order) => {
    expect(rpmvercmp(a, b)).toBe(order);
    expect(rpmvercmp(b, a)).toBe(-order || 0);
  });

  it('compares epoch first, then version, then release (a missing release matches any)', () => {
    expect(compareRpmVersions('1:1.0-1', '2.0-1')).toBe(1);
    expect(compareRpmVersions('2.43.5-1.el9_4', '2.43.5-2.el9_4')).toBe(-1);
    expect(compareRpmVersions('2.43.5-1.el9_4', '2.43.5')).toBe(0);
  });
});

describe('version ranges', () => {
  it('semver ranges through the semver package', () => {
    expect(satisfiesRange('semver', '2.39.5', '>=2.39.0')).toBe(true);
    expect(satisfiesRange('semver', '2.38.1', '>=2.39.0')).toBe(false);
    expect(satisfiesRange('semver', '1.27.4', '^1.27.0 || ^1.26.0')).toBe(true);
    expect(versionRangeProblem('semver', 'at least 2')).toMatch(/not a semver range/);
  });

  it('debian constraints use Debian ordering: epochs, revisions and ~ count', () => {
    expect(satisfiesRange('debian', '1:2.39.5-0+deb12u2', '>= 1:2.39, << 1:3')).toBe(true);
    // Without the epoch, 2.39.5 sorts below any 1:... version.
    expect(satisfiesRange('debian', '2.39.5-0+deb12u2', '>= 1:2.39')).toBe(false);
    expect(satisfiesRange('debian', '3.0.15-1~deb12u1', '< 3.0.15')).toBe(false);
    expect(satisfiesRange('debian', '3.0.15~rc1', '< 3.0.15')).toBe(true);
    expect(compareDebianVersions('3.0.15~rc1', '3.0.15')).toBeLessThan(0);
    expect(satisfiesRange('debian', '1.2', '!= 1.2')).toBe(false);
  });

  it('rpm constraints use rpm ordering', () => {
    expect(satisfiesRange('rpm', '2.43.5-1.el9_4', '>= 2.39, < 3')).toBe(true);
    expect(satisfiesRange('rpm', '2.31.1-2.el8', '>= 2.39')).toBe(false);
  });

  it('refuses malformed constraints and versions with a reason', () => {
    expect(versionRangeProblem('debian', '>= 1.0,')).toMatch(/an empty one/);
    expect(versionRangeProblem('debian', 'about 1.0')).toMatch(/"about 1.0" is not a constraint/);
    expect(versionRangeProblem('debian', '>= abc')).toMatch(/"abc" is not a debian version/);
    expect(versionRangeProblem('rpm', '>= 2.39, < 3')).toBeUndefined();
    expect(versionProblem('semver', '2.39')).toMatch(/not a semantic version/);
    expect(() => satisfiesRange('debian', '1.0', 'nonsense')).toThrow(/invalid debian range/);
  });
});

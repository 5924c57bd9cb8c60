import { goLine, goVersionToSemver, parseGoVersion } from '../../../bake/golang/go-version';

describe('parseGoVersion', () => {
  it.each([
    ['go1.22.12', '1.22.12', false],
    ['go1.22', '1.22.0', false],
    ['go1', '1.0.0', false],
    ['go1.23rc1', '1.23.0-rc.1', true],
    ['go1.21beta2', '1.21.0-beta.2', true],
  ])('%s is %s', (go, semver, prerelease) => {
    expect(parseGoVersion(go)).toEqual({ semver, prerelease });
  });
  it('rejects what is not a Go version', () => {
    expect(parseGoVersion('1.22.12')).toBeUndefined();
    expect(parseGoVersion('go1.22.x')).toBeUndefined();
  });
});

describe('goVersionToSemver and goLine', () => {
  it('turn a Go version into semver, and semver into its line', () => {
    expect(goVersionToSemver('go1.27.4')).toBe('1.27.4');
    expect(goVersionToSemver('go1.26rc2')).toBe('1.26.0-rc.2');
    expect(goLine('1.27.4')).toBe('1.27');
    expect(goLine('1.26.0-rc.2')).toBe('1.26');
  });

  it('goVersionToSemver throws on what is not a Go version', () => {
    expect(() => goVersionToSemver('1.27.4')).toThrow('not a Go version: 1.27.4');
  });
});

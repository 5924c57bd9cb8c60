import { goLineOfPackage, goVersionFromDebian } from '../../../../bake/golang/debian/debian-go-version';

describe('goVersionFromDebian', () => {
  test.each([
    ['1.22.12-3~bpo12+1', '1.22.12', true],
    ['1.23.5-1~bpo12+1', '1.23.5', true],
    ['1.21.13-1~bpo12+1', '1.21.13', true],
    ['1.24.4-1', '1.24.4', true],
    ['1.21.0-1', '1.21.0', true],
    ['2:1.22.1-1', '1.22.1', true],
    ['1.22.3+dfsg1-2', '1.22.3', true],
    ['1.19.8-2', '1.19.8', true],
    ['1.20-1', '1.20', true],
    ['1.24~rc2-1', '1.24rc2', false],
    ['1.23~beta1-2', '1.23beta1', false],
  ])('%s is Go %s (stable %s)', (debian, go, stable) => {
    expect(goVersionFromDebian(debian)).toEqual({ version: go, stable });
  });

  test.each(['banana-1', '1-1', '1.22.x-1', '1.22.1~git2024-1', ''])('"%s" is not a Go version', (debian) => {
    expect(goVersionFromDebian(debian)).toBeUndefined();
  });

  test('the Go line of a package name', () => {
    expect(goLineOfPackage('golang-1.22-go')).toBe('1.22');
    expect(goLineOfPackage('golang-1.24-src')).toBe('1.24');
    expect(goLineOfPackage('golang-1.22-doc')).toBeUndefined();
    expect(goLineOfPackage('golang-go')).toBeUndefined();
  });
});

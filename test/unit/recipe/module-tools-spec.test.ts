import { matchesModulePatterns, noSumDbPatterns } from '../../../bake/recipe/module-patterns';
import { moduleProxyProblem } from '../../../bake/recipe/module-proxy-url';
import {
  EXACT_MODULE_VERSION,
  H1_SUM,
  moduleHoldsPackage,
  modulePathProblems,
  splitToolPackage,
} from '../../../bake/recipe/tool-spec';

describe('tool packages at a module version', () => {
  test('splits path@version at the last @, and leaves a distribution package without one', () => {
    expect(splitToolPackage('corp.example.com/platform/cmd/release@v1.4.2')).toEqual({
      path: 'corp.example.com/platform/cmd/release',
      version: 'v1.4.2',
    });
    expect(splitToolPackage('cmd/gofmt')).toEqual({ path: 'cmd/gofmt' });
  });

  test('takes exact versions only: releases, pre-releases, pseudo-versions, +incompatible', () => {
    for (const v of ['v1.4.2', 'v0.0.0-20240101000000-0123456789ab', 'v2.0.0-rc.1', 'v3.1.0+incompatible'])
      expect(EXACT_MODULE_VERSION.test(v)).toBe(true);
    for (const v of ['latest', 'master', 'v1', 'v1.2', '>v1.0.0', 'v01.2.3', '1.2.3', 'v1.2.3 ', ''])
      expect(EXACT_MODULE_VERSION.test(v)).toBe(false);
  });

  test('module paths: a host first, no leading dash or dot elements', () => {
    expect(modulePathProblems('golang.org/x/tools/gopls')).toEqual([]);
    expect(modulePathProblems('-corp.example.com/x')).not.toEqual([]);
    expect(modulePathProblems('corp.example.com/../etc')).not.toEqual([]);
    expect(modulePathProblems('corp.example.com/a b')).not.toEqual([]);
    expect(modulePathProblems('cmd/gofmt')).toEqual([
      'a module path, whose first element is a host name (corp.example.com/...)',
    ]);
  });

  test('a module holds its packages element by element, not by string prefix', () => {
    expect(moduleHoldsPackage('corp.example.com/platform', 'corp.example.com/platform/cmd/release')).toBe(true);
    expect(moduleHoldsPackage('corp.example.com/platform', 'corp.example.com/platform')).toBe(true);
    expect(moduleHoldsPackage('corp.example.com/plat', 'corp.example.com/platform/cmd/release')).toBe(false);
  });

  test('an h1: hash is 44 base64 characters after h1:', () => {
    expect(H1_SUM.test(`h1:${Buffer.alloc(32, 1).toString('base64')}`)).toBe(true);
    expect(H1_SUM.test(`h1:${Buffer.alloc(31, 1).toString('base64')}`)).toBe(false);
    expect(H1_SUM.test(`h2:${Buffer.alloc(32, 1).toString('base64')}`)).toBe(false);
  });
});

describe('module path patterns (GOPRIVATE, GONOSUMDB)', () => {
  test('match leading elements, with globs that never cross a slash', () => {
    expect(matchesModulePatterns('corp.example.com', 'corp.example.com/platform/x')).toBe(true);
    expect(matchesModulePatterns('*.corp.example.com', 'git.corp.example.com/a')).toBe(true);
    expect(matchesModulePatterns('*.corp.example.com', 'corp.example.com/a')).toBe(false);
    expect(matchesModulePatterns('corp.example.com/platform', 'corp.example.com/other/x')).toBe(false);
    expect(matchesModulePatterns('a.example,corp.example.com/*/cmd', 'corp.example.com/p/cmd/x')).toBe(true);
    expect(matchesModulePatterns('corp.example.com/p/cmd/x/y', 'corp.example.com/p/cmd/x')).toBe(false);
    expect(matchesModulePatterns('', 'corp.example.com/x')).toBe(false);
    expect(matchesModulePatterns('[unterminated', 'corp.example.com/x')).toBe(false);
  });

  test('GONOSUMDB, else GOPRIVATE, as the go command derives them', () => {
    expect(noSumDbPatterns({ GONOSUMDB: 'a.example', GOPRIVATE: 'b.example' })).toBe('a.example');
    expect(noSumDbPatterns({ GONOSUMDB: '', GOPRIVATE: 'b.example' })).toBe('b.example');
    expect(noSumDbPatterns({})).toBe('');
  });
});

describe('the module proxy URL', () => {
  test('one https URL without credentials, query or list', () => {
    expect(moduleProxyProblem('https://goproxy.corp.example.com/api/go/go-remote')).toBeUndefined();
    expect(moduleProxyProblem('http://goproxy.corp.example.com')).toMatch(/plain http would expose the credential/);
    expect(moduleProxyProblem('https://a.example,direct')).toMatch(/not a list/);
    expect(moduleProxyProblem('https://a.example|https://b.example')).toMatch(/not a list/);
    expect(moduleProxyProblem('ftp://a.example')).toMatch(/an https URL/);
    expect(moduleProxyProblem('--go-proxy=x')).toMatch(/an https URL/);
    expect(moduleProxyProblem('https://a.example/?token=x')).toMatch(/carries credentials/);
    expect(moduleProxyProblem('https://a.example/?page=2')).toMatch(/without a query/);
    const withUser = moduleProxyProblem('https://bot:s3cret-value@a.example');
    expect(withUser).toMatch(/carries credentials.*--secret netrc=FILE/);
    expect(withUser).not.toContain('s3cret-value');
  });
});

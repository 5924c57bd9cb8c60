import { toolLines } from '../../../bake/cli/plan-command';
import { runCli } from './run-cli';

describe('bake plan', () => {
  it('names the unknown target and exits 2', () => {
    const r = runCli(['plan', 'gentoo1-amd64']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "gentoo1-amd64"');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('lists module tools with their module versions and how each is verified', () => {
    const sum = `h1:${Buffer.alloc(32, 3).toString('base64')}`;
    expect(
      toolLines([
        { name: 'vet', package: 'cmd/vet' },
        {
          name: 'gopls',
          package: 'golang.org/x/tools/gopls',
          module: { path: 'golang.org/x/tools/gopls', version: 'v0.20.0' },
        },
        {
          name: 'release',
          package: 'corp.example.com/platform/cmd/release',
          module: { path: 'corp.example.com/platform', version: 'v1.4.2', sum },
        },
      ]),
    ).toEqual([
      'tool           vet  cmd/vet (Go distribution)',
      'tool           gopls  golang.org/x/tools/gopls@v0.20.0 ' +
        '(module golang.org/x/tools/gopls, verified through GOSUMDB)',
      'tool           release  corp.example.com/platform/cmd/release@v1.4.2 ' +
        `(module corp.example.com/platform, pinned ${sum})`,
    ]);
  });
});

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../../bake/common/errors';
import { moduleAccessOf, parseSecretFlag } from '../../../bake/cli/module-options';
import { scratchDir } from '../scratch-dir';

const token = `tok${'1f2e3d4c5b'.repeat(3)}`;

describe('--go-proxy and --secret', () => {
  test("--secret takes netrc=FILE, goauth=FILE and buildx's id=ID,src=FILE; nothing else", () => {
    expect(parseSecretFlag('netrc=/a/netrc')).toEqual({ id: 'netrc', file: '/a/netrc', source: '--secret netrc' });
    expect(parseSecretFlag('id=goauth,src=/a/g')).toEqual({ id: 'goauth', file: '/a/g', source: '--secret goauth' });
    for (const bad of ['netrc', 'token=/a', 'netrc=', `GITHUB_TOKEN=${token}`])
      expect(() => parseSecretFlag(bad)).toThrow(expect.objectContaining({ exitCode: ExitCode.Usage }) as Error);
    // A value that is not a credential kind is never echoed whole: it may be the token itself.
    expect(() => parseSecretFlag(`GITHUB_TOKEN=${token}`)).toThrow(/got "GITHUB_TOKEN=\.\.\."/);
  });

  test('flags first, then BAKE_GO_PROXY, BAKE_NETRC and BAKE_GOAUTH; nothing given, nothing to do', async () => {
    const dir = scratchDir('bake-module-options-');
    const netrc = join(dir, 'netrc');
    await fs.writeFile(netrc, `machine h login u password ${token}\n`);
    expect(await moduleAccessOf({ secret: [] }, {})).toBeUndefined();
    const fromEnv = await moduleAccessOf({ secret: [] }, { BAKE_GO_PROXY: 'https://p.example', BAKE_NETRC: netrc });
    expect(fromEnv).toMatchObject({
      proxy: { url: 'https://p.example', source: 'BAKE_GO_PROXY' },
      credentials: { sources: ['BAKE_NETRC'], secrets: [{ id: 'netrc', file: netrc }] },
    });
    const flags = await moduleAccessOf(
      { goProxy: 'https://flag.example', secret: [`netrc=${netrc}`] },
      { BAKE_GO_PROXY: 'https://p.example', BAKE_NETRC: '/nowhere' },
    );
    expect(flags).toMatchObject({
      proxy: { url: 'https://flag.example', source: '--go-proxy' },
      credentials: { sources: ['--secret netrc'] },
    });
    await expect(moduleAccessOf({ secret: [] }, { BAKE_GO_PROXY: 'http://p.example' })).rejects.toThrow(
      /^BAKE_GO_PROXY: plain http/,
    );
  });
});

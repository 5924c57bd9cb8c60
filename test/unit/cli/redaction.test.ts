import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir';
import { bakeProcess } from './run-cli';

/**
 * A credential in a URL is refused where it enters (exit 2, naming the flag or variable) and
 * never printed: every case below carries the same marker and checks it is nowhere in the
 * output. Runs the compiled CLI as users do, with no engine and no network to reach.
 */
const SECRET = 's3cret';

// The tests run side by side (it.concurrent): each is mostly a CLI start, which keeps one CPU
// busy. Side by side on a busy machine, a start can take seconds.
jest.setTimeout(30_000);

async function bake(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await bakeProcess(args, {
    ...process.env,
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    BAKE_CACHE_DIR: scratchDir('bake-redact-cache-'),
    BAKE_STATE_DIR: scratchDir('bake-redact-state-'),
    ...env,
  });
  return { ...r, out: `${r.stdout}${r.stderr}` };
}

describe('credentials in URLs from flags and environment variables: refused, never echoed', () => {
  it.concurrent.each([
    ['--go-mirror', ['list', '--go-mirror', `https://user:${SECRET}@mirror.example/go/`]],
    ['--go-mirror', ['plan', 'debian12-amd64', '--go-mirror', `https://mirror.example/go/?token=${SECRET}`]],
    ['--push', ['build', 'debian12-amd64', '--push', `bob:${SECRET}@registry.example.com/golden`]],
    ['--cache-to', ['build', 'debian12-amd64', '--cache-to', `bob:${SECRET}@registry.example.com/cache`]],
    ['--cache-from', ['build', 'debian12-amd64', '--cache-from', `https://bob:${SECRET}@registry.example.com/c`]],
    ['--registry', ['registry', 'ls', '--registry', `https://bob:${SECRET}@registry.example.com/golden`]],
    ['--registry', ['outdated', '--registry', `bob:${SECRET}@registry.example.com/golden`]],
    ['--ami-endpoint', ['nightly', '--with-ami', '--ami-endpoint', `https://k:${SECRET}@ec2.internal`]],
    [
      '--ami-go-base-url',
      ['nightly', '--with-ami', '--ami-go-base-url', `https://dl.internal/go?X-Amz-Signature=${SECRET}`],
    ],
    ['--endpoint', ['ami', 'debian12-amd64', '--endpoint', `https://k:${SECRET}@ec2.internal`]],
    ['--go-url', ['ami', 'debian12-amd64', '--go-url', `https://u:${SECRET}@dl.internal/go.tgz`]],
  ])('%s: %j', async (flag, args) => {
    const r = await bake(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bake: ${flag}: the URL carries credentials`);
    expect(r.stderr).toContain('hint: authenticate outside the URL');
    expect(r.out).not.toContain(SECRET);
  });

  it.concurrent.each(['BAKE_GO_MIRROR', 'BAKE_DEBIAN_MIRROR', 'BAKE_DEBIAN_SECURITY_MIRROR'])(
    '%s, before any command runs',
    async (name) => {
      const r = await bake(['list'], { [name]: `https://u:${SECRET}@deb.example/debian/` });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`bake: ${name}: the URL carries credentials (a user name or password)`);
      expect(r.out).not.toContain(SECRET);
    },
  );

  it.concurrent('lets clean URLs through to the command', async () => {
    const r = await bake(['list', '--json', '--go-mirror', 'https://mirror.example/go/'], {
      BAKE_DEBIAN_MIRROR: 'https://deb.example/debian/',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(12);
  });
});

describe('errors that quote a credential URL are printed redacted', () => {
  // A real path: a recipe's GOPROXY entry over plain http is quoted in its problem, credentials and all.
  function recipesWithProxy(goproxy: string): string {
    const dir = scratchDir('bake-redact-recipes-');
    for (const f of ['defaults.yaml', 'policy.yaml']) copyFileSync(join('recipes', f), join(dir, f));
    const fixture = readFileSync('test/fixtures/bad-recipes/goproxy-credentials.yaml', 'utf8');
    writeFileSync(join(dir, 'leak.yaml'), fixture.replace(/GOPROXY: "[^"]*"/, `GOPROXY: "${goproxy}"`));
    return dir;
  }

  it.concurrent.each([[[]], [['--debug']]])(
    'bake list %j: the message (and the stack) keep scheme and host only',
    async (extra) => {
      const dir = recipesWithProxy(`http://ci:${SECRET}@proxy.corp.example,direct`);
      const r = await bake(['list', '--recipes', dir, ...extra]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('GOPROXY entry "http://***@proxy.corp.example" uses plain http');
      if (extra.length) expect(r.stderr).toMatch(/^RecipeError: invalid recipes[^]*^\s+at loadRecipes/m);
      expect(r.out).not.toContain(SECRET);
    },
  );

  it.concurrent("commander's own errors, which echo the argument", async () => {
    const r = await bake(['list', `--mirror-url=https://u:${SECRET}@h/x`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--mirror-url=https://***@h/x'");
    expect(r.out).not.toContain(SECRET);
  });
});

describe('output channels', () => {
  // The redacting choke points: the logger, the progress view and these. A new direct write
  // to stdout or stderr elsewhere would bypass redaction, so it fails here instead.
  const CHOKE_POINTS = ['bake/cli.ts', 'bake/cli/output.ts', 'bake/vm/synth-main.ts'];

  it('nothing in bake writes to stdout or stderr except through a redacting choke point', () => {
    const files = (readdirSync('bake', { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('bake', f));
    const writes = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /process\.std(out|err)\.write\(/.test(line))
        .map((line) => ({ file, redacted: /process\.std(out|err)\.write\(redact\(/.test(line) })),
    );
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((w) => !CHOKE_POINTS.includes(w.file))).toEqual([]);
    expect(writes.filter((w) => !w.redacted)).toEqual([]);
  });
});

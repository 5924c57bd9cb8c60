import { captureArtifact } from '../../../bake/drift/capture';
import { captureSpec, specOf } from '../../../bake/drift/capture-spec';
import type { ArtifactAccess } from '../../../bake/drift/types';
import type { ExecOptions } from '../../../bake/readiness/types';
import { GOROOT_ENTRIES, streamOf, tarOf, type TarEntry } from './drift-fixtures';

const GO_ENV = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOGCCFLAGS: '-fdebug-prefix-map=/tmp/go-build123',
};
const NOW = new Date('2026-12-01T00:00:00Z');
const TARGET = { user: { name: 'gobuild', uid: 10001, gid: 10001 } };

/** An artifact with files by path (each a one-entry archive, as the archive API gives them), a config and `go env`. */
function access(files: Record<string, TarEntry[]>, options: { shell: boolean; login?: Record<string, string> }) {
  const calls: { argv: string[]; opts?: ExecOptions }[] = [];
  const fake: ArtifactAccess = {
    archive: async (path) => (files[path] ? streamOf(await tarOf(files[path])) : undefined),
    processConfig: async () => ({
      env: { GOSUMDB: 'sum.golang.org', PATH: '/usr/local/go/bin:/usr/bin', HOME: '/home/gobuild' },
      user: '10001:10001',
    }),
    ...(options.shell
      ? {
          exec: async (argv: string[], opts?: ExecOptions) => {
            calls.push({ argv, opts });
            const env = opts?.loginShell ? { ...GO_ENV, ...options.login } : GO_ENV;
            return { exitCode: 0, stdout: JSON.stringify(env), stderr: '' };
          },
        }
      : {}),
  };
  return { fake, calls };
}

const TOOLCHAIN_FILES = {
  '/etc/profile.d/go-env.sh': [{ name: 'go-env.sh', content: 'export GOPROXY=...\n' }],
  '/usr/local/go/go.env': [{ name: 'go.env', content: 'GOPROXY=...\n', mode: 0o644 }],
  '/usr/local/go': GOROOT_ENTRIES,
};

test('a toolchain artifact: config, go env plain and in a login shell, files, GOROOT; no volatile value', async () => {
  const { fake, calls } = access(TOOLCHAIN_FILES, { shell: true, login: { GOPROXY: 'https://login' } });
  const capture = await captureArtifact(fake, captureSpec('toolchain', TARGET), 'image x', NOW);
  const v = capture.baseline.values;
  expect(v.user).toBe('10001:10001');
  expect(v['env:GOSUMDB']).toBe('sum.golang.org');
  expect(v['env:HOME']).toBeUndefined();
  expect(v['go.env:GOPROXY']).toBe('https://proxy.golang.org,direct');
  expect(v['go.env.login:GOPROXY']).toBe('https://login');
  expect(Object.keys(v).filter((k) => k.includes('GOGCCFLAGS'))).toEqual([]);
  expect(v['file:/etc/profile.d/go-env.sh']).toMatch(/^sha256=[0-9a-f]{64} mode=644 uid=0 gid=0$/);
  expect(v['tree:/usr/local/go']).toMatch(/^entries=8 meta=sha256:[0-9a-f]{64} sums=sha256:[0-9a-f]{64}$/);
  expect(Object.keys(capture.trees)).toEqual(['/usr/local/go']);
  expect(capture.baseline).toMatchObject({
    kind: 'toolchain',
    capturedAt: NOW.toISOString(),
    buildUser: { name: 'gobuild', home: '/home/gobuild' },
  });
  // The login shell is the build user's, from an empty environment with its HOME.
  expect(calls[1].opts).toEqual({
    user: 'gobuild',
    loginShell: true,
    env: { HOME: '/home/gobuild', USER: 'gobuild', LOGNAME: 'gobuild' },
  });
  // The keys come out sorted, so a stored baseline reads the same every time.
  expect(Object.keys(v)).toEqual([...Object.keys(v)].sort());
});

test('a runtime artifact is read, never run: no go env, its users and every file', async () => {
  const { fake, calls } = access(
    {
      '/etc/passwd': [{ name: 'passwd', content: 'root:x:0:0\n' }],
      '/etc/group': [{ name: 'group', content: 'root:x:0:\n' }],
      '/': [
        { name: './', type: 'directory' },
        { name: 'etc/', type: 'directory' },
        { name: 'tmp/', type: 'directory', mode: 0o1777 },
        { name: 'tmp/scratch', content: 'changes' },
      ],
    },
    { shell: true },
  );
  const capture = await captureArtifact(fake, captureSpec('runtime', TARGET), 'image y', NOW);
  expect(calls).toEqual([]);
  expect(Object.keys(capture.baseline.values).filter((k) => k.startsWith('go.env'))).toEqual([]);
  expect(capture.baseline.values['tree:/']).toMatch(/^entries=3 /);
  expect(capture.trees['/'].meta).not.toContain('scratch');
});

test('a go that does not run is a record of its own, with the first line it printed', async () => {
  const { fake } = access(TOOLCHAIN_FILES, { shell: true });
  const broken = { ...fake, exec: async () => ({ exitCode: 127, stdout: '', stderr: 'go: not found\nmore' }) };
  const v = (await captureArtifact(broken, captureSpec('toolchain', TARGET), 'c', NOW)).baseline.values;
  expect(v['go.env']).toBe('go env -json failed (exit 127): go: not found');
  expect(v['go.env.login']).toBe('go env -json failed (exit 127): go: not found');
});

test('a missing file or tree is recorded as absent', async () => {
  const { fake } = access({}, { shell: false });
  const v = (await captureArtifact(fake, captureSpec('toolchain', TARGET), 'c', NOW)).baseline.values;
  expect(v['file:/etc/profile.d/go-env.sh']).toBe('absent');
  expect(v['tree:/usr/local/go']).toBe('absent');
});

test('specOf: a later capture reads what the baseline recorded, as the user it recorded', async () => {
  const { fake } = access(TOOLCHAIN_FILES, { shell: true });
  const { baseline } = await captureArtifact(fake, captureSpec('toolchain', TARGET), 'c', NOW);
  expect(specOf(baseline, { name: 'other', home: '/home/other' })).toEqual({
    kind: 'toolchain',
    goroot: '/usr/local/go',
    user: { name: 'gobuild', home: '/home/gobuild' },
    files: ['/etc/profile.d/go-env.sh', '/usr/local/go/go.env'],
    trees: ['/usr/local/go'],
  });
});

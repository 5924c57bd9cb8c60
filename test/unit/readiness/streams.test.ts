import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { loginShellArgv } from '../../../bake/readiness/drivers/container-driver';
import { DockerImageInspector } from '../../../bake/readiness/drivers/image-driver';
import { goBinarySha256 } from '../../../bake/readiness/go-binary-hash';

async function tarOf(
  entries: { name: string; content?: Buffer | string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }[],
): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type && e.type !== 'file') pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name, mode: 0o644 }, Buffer.from(e.content ?? ''));
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const chunk of pack) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

describe('goBinarySha256', () => {
  test('hashes go/bin/go inside a gzipped distribution archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bake-gohash-'));
    try {
      const go = Buffer.from('pretend go binary');
      const archive = join(dir, 'go1.22.12.linux-amd64.tar.gz');
      writeFileSync(
        archive,
        gzipSync(
          await tarOf([
            { name: 'go/', type: 'directory' },
            { name: 'go/VERSION', content: 'go1.22.12' },
            { name: 'go/bin/go', content: go },
            { name: 'go/bin/gofmt', content: 'x' },
          ]),
        ),
      );
      expect(await goBinarySha256(archive)).toBe(createHash('sha256').update(go).digest('hex'));
      writeFileSync(archive, gzipSync(await tarOf([{ name: 'go/VERSION', content: 'x' }])));
      await expect(goBinarySha256(archive)).rejects.toThrow(/has no go\/bin\/go: not a Go distribution archive/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DockerImageInspector.layerFiles', () => {
  // The export stream of `docker save`, served by a stand-in for the one dockerode call used.
  const inspectorFor = (exported: Buffer) => {
    const docker = { getImage: () => ({ get: async () => Readable.from([exported]) }) } as unknown as Dockerode;
    return new DockerImageInspector(docker, 'img');
  };

  test('streams the files of legacy layer.tar and gzipped OCI blobs, skipping JSON blobs', async () => {
    const layer1 = await tarOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0\n' },
    ]);
    const layer2 = await tarOf([
      { name: './root/.netrc', content: 'machine m' },
      { name: 'bin/sh', type: 'symlink', linkname: 'dash' },
    ]);
    const exported = await tarOf([
      { name: 'aaaaaaaaaaaaaaaa/layer.tar', content: layer1 },
      { name: 'blobs/sha256/bbbbbbbbbbbbbbbb', content: gzipSync(layer2) },
      { name: 'blobs/sha256/cccccccccccccccc', content: '{"architecture":"amd64"}' },
      { name: 'manifest.json', content: '[]' },
    ]);
    const seen: string[] = [];
    for await (const f of inspectorFor(exported).layerFiles()) {
      const content = f.type === 'file' && f.path.endsWith('netrc') ? ` "${(await f.read()).toString()}"` : '';
      seen.push(`${f.layer} ${f.type} ${f.path} ${f.size}${content}`);
    }
    expect(seen).toEqual([
      'layer aaaaaaaaaaaa directory /etc 0',
      'layer aaaaaaaaaaaa file /etc/passwd 11',
      'layer bbbbbbbbbbbb file /root/.netrc 9 "machine m"',
      'layer bbbbbbbbbbbb symlink /bin/sh 0',
    ]);
  });

  test('stopping early releases the stream', async () => {
    const layer = await tarOf(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, content: 'x'.repeat(1000) })));
    const exported = await tarOf([{ name: 'l/layer.tar', content: layer }]);
    let n = 0;
    for await (const f of inspectorFor(exported).layerFiles()) {
      if (f.path) n++;
      if (n === 3) break;
    }
    expect(n).toBe(3);
  });
});

describe('loginShellArgv', () => {
  test('starts a login shell from an empty environment plus the given variables', () => {
    const argv = loginShellArgv(
      ['sh', '-c', 'echo "home=$HOME leak=${LEAK:-none} login=$0"; case $- in *i*) ;; esac'],
      { HOME: '/nonexistent-home' },
    );
    expect(argv.slice(0, 4)).toEqual(['env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/nonexistent-home']);
    const out = execFileSync(argv[0], argv.slice(1), { env: { ...process.env, LEAK: 'inherited' }, encoding: 'utf8' });
    expect(out.trim().split('\n').pop()).toBe('home=/nonexistent-home leak=none login=sh');
  });

  test('argv runs in a login shell (bash on this host)', () => {
    // shopt is a bash builtin, so this asks the outer shell itself whether it is a login shell.
    const argv = loginShellArgv(['shopt', '-q', 'login_shell'], {});
    expect(() => execFileSync(argv[0], argv.slice(1))).not.toThrow();
    const notLogin = ['bash', '-c', 'shopt -q login_shell'];
    expect(() => execFileSync(notLogin[0], notLogin.slice(1))).toThrow();
  });
});

import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { sha256Hex } from '../../../bake/common/sha256';
import { goImageContext } from '../../../bake/render/go-image-context';
import { GO_IMAGE_LAYOUT, GO_IMAGE_LAYOUT_LABEL } from '../../../bake/render/image-refs';
import { renderContexts } from '../../../bake/render/render-contexts';
import type { RenderedContext } from '../../../bake/render/types';
import { CONTEXT_MARKER, CONTEXT_MTIME, contextFileMtime, writeContext } from '../../../bake/render/write-context';
import { fixtureCore, fixtureGo, handMadeTarget } from './render-fixtures';

interface Entry {
  path: string;
  type: 'dir' | 'file';
  mode: string;
  mtime: number;
  sha256?: string;
}

/** Everything writeContext controls about a tree: paths, types, modes, mtimes, bytes. */
async function snapshot(root: string): Promise<Entry[]> {
  const out: Entry[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of (await fs.readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await fs.lstat(path);
      const rel = relative(root, path);
      if (st.isDirectory()) {
        out.push({ path: rel, type: 'dir', mode: (st.mode & 0o7777).toString(8), mtime: st.mtimeMs });
        await walk(path);
      } else {
        out.push({
          path: rel,
          type: 'file',
          mode: (st.mode & 0o7777).toString(8),
          mtime: st.mtimeMs,
          sha256: sha256Hex(await fs.readFile(path)),
        });
      }
    }
  }
  await walk(root);
  return out;
}

describe('writeContext', () => {
  let work: string;
  let archive: string;
  let ctx: RenderedContext;
  let core: ReturnType<typeof fixtureCore>;
  const archiveOf = (source: string) => ({ contextPath: core.go.filename, sha256: core.go.sha256, source });

  beforeEach(async () => {
    work = await fs.mkdtemp(join(tmpdir(), 'bake-write-context-'));
    const bytes = Buffer.from('not really a Go archive, but hashed like one');
    archive = join(work, 'cache-go.tar.gz');
    await fs.writeFile(archive, bytes, { mode: 0o644 });
    const target = handMadeTarget();
    core = fixtureCore(target, { ...fixtureGo(target), sha256: sha256Hex(bytes), size: bytes.length });
    ctx = renderContexts(core).find((c) => c.kind === 'toolchain')!;
  });
  afterEach(() => fs.rm(work, { recursive: true, force: true }));

  it("writes the Go image's context: the archive, and GOROOT's parent empty, 0755, at the fixed time", async () => {
    const go = goImageContext(core.go, archive);
    expect(go.files.map((f) => f.path)).toEqual(['Dockerfile']);
    const dockerfile = go.files[0].content.toString('utf8');
    // The tree first, then the parent's fixed time over the one ADD stamped on it.
    expect(dockerfile.indexOf(`ADD ${core.go.filename} /usr/local/`)).toBeGreaterThan(0);
    expect(dockerfile.indexOf('COPY usr/ /usr/')).toBeGreaterThan(dockerfile.indexOf('ADD '));
    expect(dockerfile).toContain(`${GO_IMAGE_LAYOUT_LABEL}="${GO_IMAGE_LAYOUT}"`);
    await writeContext(join(work, 'go'), go.files, go.archive, go.directories);
    const entries = await snapshot(join(work, 'go'));
    for (const dir of ['usr', 'usr/local'])
      expect(entries.find((e) => e.path === dir)).toEqual({
        path: dir,
        type: 'dir',
        mode: '755',
        mtime: CONTEXT_MTIME.getTime(),
      });
    expect(entries.filter((e) => e.path.startsWith('usr/')).map((e) => e.path)).toEqual(['usr/local']);
    await expect(writeContext(join(work, 'bad'), [], undefined, ['../out'])).rejects.toThrow(/not a plain relative/);
  });

  it('writes the same bytes, modes and times twice, with a fixed mtime and the archive linked', async () => {
    const old = process.umask(0o077); // a strict umask must not leak into the context
    try {
      await writeContext(join(work, 'a'), ctx.files, archiveOf(archive));
      await writeContext(join(work, 'b'), ctx.files, archiveOf(archive));
    } finally {
      process.umask(old);
    }
    const a = await snapshot(join(work, 'a'));
    expect(a).toEqual(await snapshot(join(work, 'b')));
    const byPath = Object.fromEntries(a.map((e) => [e.path, e]));
    for (const f of ctx.files) {
      expect(byPath[f.path]).toMatchObject({
        type: 'file',
        mode: '644',
        mtime: contextFileMtime(f.content).getTime(),
        sha256: sha256Hex(f.content),
      });
    }
    expect(byPath['policy/etc/profile.d']).toMatchObject({ type: 'dir', mode: '755', mtime: CONTEXT_MTIME.getTime() });
    expect(byPath[core.go.filename].sha256).toBe(core.go.sha256);
    // Same filesystem: a hard link to the cache file, not a second copy of 70 MB.
    const [linked, cached] = await Promise.all([fs.stat(join(work, 'a', core.go.filename)), fs.stat(archive)]);
    expect(linked.ino).toBe(cached.ino);
    expect(
      a
        .map((e) => e.path)
        .filter((p) => !p.includes('/'))
        .sort(),
    ).toEqual([CONTEXT_MARKER, 'Dockerfile', 'cachetime', 'files', core.go.filename, 'policy', 'probe'].sort());
  });

  it('gives new content of the same size a new mtime (BuildKit syncs a context by stat)', async () => {
    // Two site CAs of one length: a rewrite that kept size and mtime would leave the daemon's copy.
    const before = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const after = Buffer.from('-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n');
    const file = (content: Buffer) => [{ path: 'gotools/trust.pem', content, mode: 0o644 }];
    await writeContext(join(work, 'same'), file(before));
    const first = await fs.stat(join(work, 'same', 'gotools/trust.pem'));
    await writeContext(join(work, 'same'), file(after));
    const second = await fs.stat(join(work, 'same', 'gotools/trust.pem'));
    expect(second.size).toBe(first.size);
    expect(second.mtimeMs).not.toBe(first.mtimeMs);
    expect(second.mtimeMs).toBe(contextFileMtime(after).getTime());
    expect(contextFileMtime(after).getTime()).toBe(contextFileMtime(Buffer.from(after)).getTime());
    expect(contextFileMtime(after).getTime()).toBeGreaterThanOrEqual(CONTEXT_MTIME.getTime());
  });

  it('copies the archive when the cache is on another filesystem', async () => {
    const shm = '/dev/shm';
    const other = await fs.mkdtemp(join(shm, 'bake-write-context-')).catch(() => undefined);
    if (!other || (await fs.stat(other)).dev === (await fs.stat(work)).dev) {
      if (other) await fs.rm(other, { recursive: true, force: true });
      console.log('skipped the cross-filesystem copy: no second filesystem (/dev/shm) next to the temp dir');
      return;
    }
    try {
      const remote = join(other, 'go.tar.gz');
      await fs.copyFile(archive, remote);
      await fs.chmod(remote, 0o600);
      await writeContext(join(work, 'copied'), ctx.files, archiveOf(remote));
      await writeContext(join(work, 'linked'), ctx.files, archiveOf(archive));
      const copied = await snapshot(join(work, 'copied'));
      const entry = copied.find((e) => e.path === core.go.filename)!;
      expect(entry).toMatchObject({ mode: '644', mtime: CONTEXT_MTIME.getTime(), sha256: core.go.sha256 });
      const strip = (entries: Entry[]) => entries.filter((e) => e.path !== core.go.filename);
      expect(strip(copied)).toEqual(strip(await snapshot(join(work, 'linked'))));
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('replaces an earlier context, leaving no stale files', async () => {
    const dir = join(work, 'ctx');
    await writeContext(dir, ctx.files, archiveOf(archive));
    await fs.writeFile(join(dir, 'stale.txt'), 'left over');
    await writeContext(dir, ctx.files, archiveOf(archive));
    await expect(fs.stat(join(dir, 'stale.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.readdir(work)).filter((n) => n.endsWith('.tmp') || n.endsWith('.old'))).toEqual([]);
  });

  it('refuses to replace a non-empty directory bake did not write', async () => {
    const dir = join(work, 'mine');
    await fs.mkdir(dir);
    await fs.writeFile(join(dir, 'precious.txt'), 'keep me');
    await expect(writeContext(dir, ctx.files, archiveOf(archive))).rejects.toMatchObject({ exitCode: ExitCode.Usage });
    expect(await fs.readFile(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses an archive whose bytes differ from the verified sha256, writing nothing', async () => {
    await fs.writeFile(archive, 'tampered after verification');
    const dir = join(work, 'ctx');
    const err = await writeContext(dir, ctx.files, archiveOf(archive)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Untrusted);
    expect((await fs.readdir(work)).sort()).toEqual(['cache-go.tar.gz']);
  });
});

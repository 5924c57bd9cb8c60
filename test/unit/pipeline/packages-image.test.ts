import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../bake/common/log';
import type { BuildRequest, ImageDetails } from '../../../bake/engine/types';
import { ensurePackagesImage } from '../../../bake/pipeline/stage-images';
import type { PackagesImage } from '../../../bake/render/types';
import { scratchDir } from '../scratch-dir';

const packages: PackagesImage = {
  ref: 'bake-cache/debs:arm64-0123456789abcdef0123456789abcdef',
  pins: [
    { name: 'git', version: '1:2.39.5-0+deb12u3', arch: 'arm64' },
    { name: 'git-man', version: '1:2.39.5-0+deb12u3', arch: 'all' },
  ],
};
const FILES = { 'git_1%3a2.39.5-0+deb12u3_arm64.deb': 'git bytes', 'git-man_1%3a2.39.5-0+deb12u3_all.deb': 'man' };

/** An engine that records what it is asked to build (the context as it was on disk) and tag. */
function fakeEngine(has: boolean) {
  const built: { request: BuildRequest; files: Record<string, string> }[] = [];
  const tagged: string[] = [];
  return {
    built,
    tagged,
    engine: {
      inspectImage: (ref: string) => Promise.resolve(has ? ({ id: ref } as unknown as ImageDetails) : undefined),
      build: async (request: BuildRequest) => {
        const files: Record<string, string> = {};
        const walk = async (dir: string, prefix: string): Promise<void> => {
          for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
            if (entry.isDirectory()) await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
            else files[`${prefix}${entry.name}`] = await fs.readFile(join(dir, entry.name), 'utf8');
          }
        };
        await walk(request.contextDir, '');
        built.push({ request, files });
        return { imageId: 'sha256:feed', durationMs: 1, contextBytes: 4096, steps: 1, cachedSteps: 0 };
      },
      tag: (imageId: string, repo: string, tag: string) => {
        tagged.push(`${imageId} ${repo}:${tag}`);
        return Promise.resolve();
      },
    },
  };
}

const download = (calls: string[]) => async (dir: string) => {
  calls.push(dir);
  expect(await fs.readdir(dir)).toEqual([]);
  for (const [name, content] of Object.entries(FILES)) await fs.writeFile(join(dir, name), content);
  return Object.keys(FILES).sort();
};

describe('the packages image of one image kind', () => {
  test('built once: the downloaded files in an empty image, tagged by the pins, scratch space removed', async () => {
    const workDir = scratchDir('bake-debs-');
    const fake = fakeEngine(false);
    const calls: string[] = [];
    const result = await ensurePackagesImage(packages, 'linux/arm64', download(calls), {
      engine: fake.engine,
      workDir,
      logger: silentLogger,
    });
    expect(result).toEqual({ built: true, contextBytes: 4096 });
    expect(calls).toHaveLength(1);
    expect(fake.built).toHaveLength(1);
    const { request, files } = fake.built[0];
    expect(request.platform).toBe('linux/arm64');
    expect(Object.keys(files).sort()).toEqual(
      ['.bake-context', 'Dockerfile', ...Object.keys(FILES).map((n) => `debs/${n}`)].sort(),
    );
    for (const [name, content] of Object.entries(FILES)) expect(files[`debs/${name}`]).toBe(content);
    // No RUN: nothing executes (under emulation or otherwise), the files are only copied.
    expect(files.Dockerfile).toMatch(/^FROM scratch\nCOPY debs\/ \/debs\/\n$/m);
    expect(files.Dockerfile).not.toMatch(/^RUN /m);
    expect(fake.tagged).toEqual([`sha256:feed bake-cache/debs:arm64-0123456789abcdef0123456789abcdef`]);
    expect(await fs.readdir(workDir)).toEqual([]);
  });

  test('an engine that has it already: nothing downloaded, nothing built', async () => {
    const fake = fakeEngine(true);
    const calls: string[] = [];
    const result = await ensurePackagesImage(packages, 'linux/arm64', download(calls), {
      engine: fake.engine,
      workDir: scratchDir('bake-debs-'),
      logger: silentLogger,
    });
    expect(result).toEqual({ built: false, contextBytes: 0 });
    expect(calls).toEqual([]);
    expect(fake.built).toEqual([]);
  });

  test('a download that fails (a file failing its hash): no build, no tag, no scratch left', async () => {
    const workDir = scratchDir('bake-debs-');
    const fake = fakeEngine(false);
    const failing = async (dir: string) => {
      await fs.writeFile(join(dir, 'half.deb'), 'partial');
      throw new Error('Hash Sum mismatch');
    };
    await expect(
      ensurePackagesImage(packages, 'linux/arm64', failing, { engine: fake.engine, workDir, logger: silentLogger }),
    ).rejects.toThrow('Hash Sum mismatch');
    expect(fake.built).toEqual([]);
    expect(fake.tagged).toEqual([]);
    expect(await fs.readdir(workDir)).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ExitCode } from '../../bake/common/errors';
import type { BaseLockUpdate } from '../../bake/pipeline/update-base-lock';
import type { Plan } from '../../bake/plan/types';
import { HttpRegistryClient } from '../../bake/registry/registry-client';
import { bake } from '../support/bake-cli';
import { services } from '../support/test-services';

/**
 * Bases by tag against a real registry: `bake base update` resolves the tag to the digest of
 * its multi-arch index and writes recipes/bases.lock.yaml; a new image under the tag changes
 * the lock and the plan's base; offline (an unreachable registry) the lock stays as it is.
 */

const run = randomBytes(3).toString('hex');
const host = () => services().registry.host;
const repository = `base-lock-${run}/debian`;
let recipes: string;

/** An index for amd64 and arm64 under `repository:bookworm`, distinct per `generation`. */
async function publishBase(generation: number): Promise<string> {
  const client = new HttpRegistryClient(host());
  const manifests = [];
  for (const arch of ['amd64', 'arm64']) {
    const config = Buffer.from(
      JSON.stringify({
        architecture: arch,
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [] },
        config: { Labels: { generation: String(generation) } },
      }),
    );
    const configDigest = await client.putBlob(repository, config);
    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [],
      }),
    );
    const digest = await client.putManifest(
      repository,
      `${arch}-${generation}`,
      'application/vnd.oci.image.manifest.v1+json',
      body,
    );
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: body.length,
      platform: { architecture: arch, os: 'linux' },
    });
  }
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  return client.putManifest(repository, 'bookworm', 'application/vnd.oci.image.index.v1+json', index);
}

const lockOf = async () =>
  parse(await fs.readFile(join(recipes, 'bases.lock.yaml'), 'utf8')) as { bases: Record<string, { digest: string }> };

beforeAll(async () => {
  recipes = await fs.mkdtemp(join(tmpdir(), 'bake-base-lock-'));
  for (const f of ['defaults.yaml', 'policy.yaml']) await fs.copyFile(join('recipes', f), join(recipes, f));
  const debian12 = (await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8')).replace(
    /docker\.io\/library\/debian:bookworm/g,
    `${host()}/${repository}:bookworm`,
  );
  await fs.writeFile(join(recipes, 'debian12.yaml'), debian12);
});

afterAll(async () => {
  await fs.rm(recipes, { recursive: true, force: true });
});

test(
  'a base tag missing from the lock is refused by recipe check, ' + 'naming the file, the field and the fix',
  async () => {
    const r = await bake(['recipe', 'check', '--recipes', recipes]);
    expect(r.code).toBe(ExitCode.InvalidRecipe);
    expect(r.stderr).toContain(
      `debian12.yaml: bases.amd64: ${host()}/${repository}:bookworm is not in ${join(recipes, 'bases.lock.yaml')}; ` +
        'run `bake base update debian12`',
    );
  },
);

test('base update locks the digest of the multi-arch index, and the plan uses it', async () => {
  const digest = await publishBase(1);
  const r = await bake(['base', 'update', '--recipes', recipes, '--json']);
  expect(r.code).toBe(0);
  const update = JSON.parse(r.stdout) as BaseLockUpdate;
  expect(update.bases).toEqual([{ ref: `${host()}/${repository}:bookworm`, to: digest }]);
  expect(update.written).toBe(true);
  expect((await lockOf()).bases[`${host()}/${repository}:bookworm`].digest).toBe(digest);

  const plan = await bake(['plan', 'debian12-amd64', '--recipes', recipes, '--go-source', 'debian', '--json']);
  expect(plan.code).toBe(0);
  expect((JSON.parse(plan.stdout) as Plan).base.ref).toBe(`${host()}/${repository}:bookworm@${digest}`);
});

test('a second update with nothing new changes nothing; a new image under the tag is printed and locked', async () => {
  const before = await lockOf();
  const same = await bake(['base', 'update', '--recipes', recipes]);
  expect(same.code).toBe(0);
  expect(same.stdout).toContain('0 of 1 base changed');
  expect(await lockOf()).toEqual(before);

  const old = before.bases[`${host()}/${repository}:bookworm`].digest;
  const digest = await publishBase(2);
  expect(digest).not.toBe(old);
  const r = await bake(['base', 'update', 'debian12', '--recipes', recipes]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`${host()}/${repository}:bookworm  ${old} -> ${digest}`);
  expect(r.stdout).toContain('1 of 1 base changed');
  expect((await lockOf()).bases[`${host()}/${repository}:bookworm`].digest).toBe(digest);
});

test('an unreachable registry: one line, exit 6, and the lock unchanged (builds keep using it)', async () => {
  const before = await fs.readFile(join(recipes, 'bases.lock.yaml'), 'utf8');
  const offline = await fs.mkdtemp(join(tmpdir(), 'bake-base-offline-'));
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join(recipes, f), join(offline, f));
  // A loopback port nothing listens on: the registry is down.
  const text = (await fs.readFile(join(recipes, 'debian12.yaml'), 'utf8')).replaceAll(host(), '127.0.0.1:9');
  await fs.writeFile(join(offline, 'debian12.yaml'), text);
  const lockText = (await fs.readFile(join(offline, 'bases.lock.yaml'), 'utf8')).replaceAll(host(), '127.0.0.1:9');
  await fs.writeFile(join(offline, 'bases.lock.yaml'), lockText);
  const r = await bake(['base', 'update', '--recipes', offline]);
  expect(r.code).toBe(ExitCode.Unavailable);
  expect(r.stderr).toMatch(/^bake: cannot resolve base 127\.0\.0\.1:9\/.*:bookworm: /m);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(await fs.readFile(join(offline, 'bases.lock.yaml'), 'utf8')).toBe(lockText);
  // Offline, everything else still loads from the lock.
  expect((await bake(['recipe', 'check', '--recipes', offline])).code).toBe(0);
  expect(await fs.readFile(join(recipes, 'bases.lock.yaml'), 'utf8')).toBe(before);
  await fs.rm(offline, { recursive: true, force: true });
});

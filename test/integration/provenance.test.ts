import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ExitCode } from '../../bake/common/errors';
import { sha256Hex } from '../../bake/common/sha256';
import type { CatalogImage } from '../../bake/registry/types';
import { bake, type CliResult } from '../support/bake-cli';
import { sbomValidators } from '../support/sbom-schemas';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Provable images against the real registry with the real cosign (trixie's, installed by the
 * setup as bake installs it): bake debian12-amd64 once, push it signed, and check what a
 * consumer checks with stock cosign, then `bake registry verify` on the good image and on each
 * tampered case (another key, a re-tagged image, a removed attestation, a tampered SBOM), and
 * that no private key material went anywhere.
 */
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const host = () => services().registry.host;
const prefix = `prov-${run}`;
const registry = () => `${host()}/${prefix}`;
const PASSWORD = `pw-${run}`;
let scratch: string;
let images: Record<'toolchain' | 'runtime', CatalogImage>;
const outputs: string[] = [];

function cosign(args: string[], cwd = scratch) {
  const r = spawnSync('cosign', args, { cwd, encoding: 'utf8', env: { ...process.env, COSIGN_PASSWORD: PASSWORD } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function bakeLogged(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const r = await bake(args, { COSIGN_PASSWORD: PASSWORD, ...env });
  outputs.push(r.stdout, r.stderr);
  return r;
}

const verify = (ref: string, key: string, ...more: string[]) =>
  bakeLogged(['registry', 'verify', ref, '--registry', registry(), '--key', join(scratch, key), ...more]);

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://${host()}/v2/${path}`, init);
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const repoOf = (image: CatalogImage) => image.repository.slice(host().length + 1);
const attTag = (digest: string) => `${digest.replace(':', '-')}.att`;

async function getManifest(repo: string, ref: string): Promise<Buffer> {
  const res = await api(`${repo}/manifests/${ref}`, {
    headers: { accept: `${OCI_MANIFEST}, application/vnd.docker.distribution.manifest.v2+json` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function putManifest(repo: string, ref: string, body: Buffer, mediaType = OCI_MANIFEST): Promise<void> {
  const res = await api(`${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': mediaType }, body });
  expect(res.status).toBe(201);
}

async function putBlob(repo: string, data: Buffer): Promise<string> {
  const digest = `sha256:${sha256Hex(data)}`;
  const start = await api(`${repo}/blobs/uploads/`, { method: 'POST' });
  const url = new URL(start.headers.get('location')!, `http://${host()}`);
  url.searchParams.set('digest', digest);
  const res = await fetch(url, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
  expect(res.status).toBe(201);
  return digest;
}

interface Envelope {
  payload: string;
}
type Layer = { digest: string; size: number; mediaType: string; annotations?: Record<string, string> };

/** The attestation manifest of an image, with each layer's predicate type (decoded from its DSSE payload). */
async function attestations(image: CatalogImage) {
  const repo = repoOf(image);
  const original = await getManifest(repo, attTag(image.manifestDigest!));
  const manifest = JSON.parse(original.toString('utf8')) as { layers: Layer[] };
  const layers = [];
  for (const layer of manifest.layers) {
    const blob = Buffer.from(await (await api(`${repo}/blobs/${layer.digest}`)).arrayBuffer());
    const envelope = JSON.parse(blob.toString('utf8')) as Envelope;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicateType: string };
    layers.push({ layer, envelope, predicateType: statement.predicateType });
  }
  return { repo, original, manifest, layers };
}

/** The predicate of the one statement cosign verified, from `verify-attestation` output. */
function predicateOf(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  const envelope = JSON.parse(lines[lines.length - 1]) as Envelope;
  return (
    JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> }
  ).predicate;
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-provenance-test-'));
  for (const name of ['bake', 'other']) {
    await fs.mkdir(join(scratch, name));
    const r = cosign(['generate-key-pair'], join(scratch, name));
    expect(r.code).toBe(0);
    await fs.rename(join(scratch, name, 'cosign.key'), join(scratch, `${name}.key`));
    await fs.rename(join(scratch, name, 'cosign.pub'), join(scratch, `${name}.pub`));
  }
});

afterAll(async () => {
  const tags = (await engine.docker.listImages()).flatMap((i) => i.RepoTags ?? []);
  for (const tag of tags.filter((t) => t.startsWith(`bake-test-${run}/`))) await engine.removeImage(tag);
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('bake build --push --sign-key', () => {
  test('--sign-key without --push is a usage error, before anything runs', async () => {
    const r = await bakeLogged(['build', 'debian12-amd64', '--sign-key', join(scratch, 'bake.key')]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain('--sign-key signs what is pushed; add --push');
  });

  test('bakes debian12-amd64, pushes it, and signs and attests every image, index and catalog document', async () => {
    const r = await bakeLogged([
      'build',
      'debian12-amd64',
      '--go-source',
      'debian',
      '--engine',
      services().engine.endpoint,
      '--tag-prefix',
      `bake-test-${run}`,
      '--report',
      join(scratch, 'reports'),
      '--push',
      registry(),
      '--sign-key',
      join(scratch, 'bake.key'),
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /debian12-amd64\/toolchain: signed .* and attested SBOM \(\d+ components, made in [\d.]+ s\)/,
    );
    expect(r.stderr).toMatch(/signed .*debian12-go:1\.27 \(sha256:/);
    const ls = await bakeLogged(['registry', 'ls', '--registry', registry(), '--json']);
    const all = (JSON.parse(ls.stdout) as { images: CatalogImage[] }).images;
    images = {
      toolchain: all.find((i) => i.kind === 'toolchain')!,
      runtime: all.find((i) => i.kind === 'runtime')!,
    };
    const pub = await fs.readFile(join(scratch, 'bake.pub'), 'utf8');
    for (const image of Object.values(images))
      expect(image.signature).toEqual({
        state: 'signed',
        keyId: `sha256:${sha256Hex(`${pub.trim()}\n`)}`,
        attestations: [
          'https://cyclonedx.org/bom',
          'https://spdx.dev/Document',
          'https://slsa.dev/provenance/v1',
          'https://bake.dev/readiness/v1',
        ],
        signedAt: expect.any(String),
      });
  });

  test('stock cosign verifies each image, the moving index and the catalog document with the public key', () => {
    const pub = join(scratch, 'bake.pub');
    const stock = (ref: string) =>
      cosign(['verify', '--key', pub, '--insecure-ignore-tlog', '--allow-insecure-registry', ref]);
    for (const image of Object.values(images))
      expect(stock(`${image.repository}@${image.manifestDigest}`).code).toBe(0);
    expect(stock(`${registry()}/debian12-go:1.27`).code).toBe(0);
    expect(stock(`${registry()}/bake-catalog:debian12-amd64`).code).toBe(0);
    const other = cosign([
      'verify',
      '--key',
      join(scratch, 'other.pub'),
      '--insecure-ignore-tlog',
      '--allow-insecure-registry',
      `${images.toolchain.repository}@${images.toolchain.manifestDigest}`,
    ]);
    expect(other.code).not.toBe(0);
  });

  test('cosign verify-attestation: the SBOM lists git, ca-certificates and Go with versions, and is valid', () => {
    const ref = `${images.toolchain.repository}@${images.toolchain.manifestDigest}`;
    const attested = (type: string) => {
      const r = cosign([
        'verify-attestation',
        '--key',
        join(scratch, 'bake.pub'),
        '--type',
        type,
        '--insecure-ignore-tlog',
        '--allow-insecure-registry',
        ref,
      ]);
      expect(r.stderr).not.toMatch(/^Error/m);
      expect(r.code).toBe(0);
      return predicateOf(r.stdout);
    };
    const bom = attested('cyclonedx') as {
      components: { name: string; version?: string; hashes?: { content: string }[] }[];
    };
    const v = sbomValidators();
    expect(v.cyclonedx(bom)).toBe(true);
    const version = (name: string) => bom.components.find((c) => c.name === name)?.version;
    expect(version('git')).toMatch(/^1:2\.39\./);
    expect(version('ca-certificates')).toMatch(/^20\d{6}/);
    expect(version('go')).toBe(images.toolchain.goVersion);
    expect(bom.components.find((c) => c.name === 'go')?.hashes?.[0].content).toBe(images.toolchain.goSha256);
    // Every Go binary in the image with its build info; bake's probe is never in an image.
    const names = bom.components.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['/usr/local/go/bin/go', '/usr/local/go/bin/gofmt']));
    expect(names.filter((n) => n.endsWith('bake-probe'))).toEqual([]);
    expect(v.spdx(attested('spdxjson'))).toBe(true);

    const provenance = attested('slsaprovenance1') as {
      buildDefinition: {
        internalParameters: { inputsDigest: string };
        resolvedDependencies: { name?: string; digest?: Record<string, string> }[];
      };
      runDetails: { metadata: { startedOn?: string; finishedOn?: string } };
    };
    expect(provenance.buildDefinition.internalParameters.inputsDigest).toBe(images.toolchain.inputsDigest);
    const deps = provenance.buildDefinition.resolvedDependencies;
    expect(deps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ digest: { sha256: images.toolchain.goSha256 } }),
        expect.objectContaining({
          name: 'base',
          digest: { sha256: images.toolchain.baseDigest.replace('sha256:', '') },
        }),
        expect.objectContaining({ name: 'git' }),
      ]),
    );
    expect(Date.parse(provenance.runDetails.metadata.finishedOn!)).toBeGreaterThan(
      Date.parse(provenance.runDetails.metadata.startedOn!),
    );
    const readiness = attested('https://bake.dev/readiness/v1') as { passed: boolean; checks: Record<string, string> };
    expect(readiness).toMatchObject({ passed: true, checks: { 'go.env': 'pass', 'go.version': 'pass' } });
  });

  test('bake registry verify passes for both kinds, and pin --key prints the FROM line it verified', async () => {
    for (const kind of ['toolchain', 'runtime']) {
      const r = await verify('debian12-amd64', 'bake.pub', '--kind', kind);
      expect(r.stderr).toContain('verified');
      expect(r.code).toBe(0);
    }
    const byTag = await verify(`${images.toolchain.repository}:${images.toolchain.tag}`, 'bake.pub');
    expect(byTag.code).toBe(0);
    const pin = await bakeLogged([
      'registry',
      'pin',
      'debian12-amd64',
      '--registry',
      registry(),
      '--key',
      join(scratch, 'bake.pub'),
    ]);
    expect(pin.code).toBe(0);
    expect(pin.stdout).toContain('# verified with the key');
    expect(pin.stdout).toContain(`FROM ${images.toolchain.repository}@${images.toolchain.manifestDigest}`);
  });
});

describe('bake registry verify refuses, with the reason (exit 4)', () => {
  test('a key that did not sign the images', async () => {
    const r = await verify('debian12-amd64', 'other.pub');
    expect(r.code).toBe(ExitCode.Untrusted);
    expect(r.stderr).toMatch(/has no valid signature by this key/);
    const pin = await bakeLogged([
      'registry',
      'pin',
      'debian12-amd64',
      '--registry',
      registry(),
      '--key',
      join(scratch, 'other.pub'),
    ]);
    expect(pin.code).toBe(ExitCode.Untrusted);
    expect(pin.stdout).toBe('');
  });

  test('an image re-tagged to another digest, signed by another key', async () => {
    const image = images.toolchain;
    const repo = repoOf(image);
    const original = await getManifest(repo, image.tag);
    const forged = JSON.parse(original.toString('utf8')) as Record<string, unknown>;
    forged.annotations = { 'org.example.forged': run };
    const body = Buffer.from(JSON.stringify(forged));
    const mediaType = (forged.mediaType as string | undefined) ?? OCI_MANIFEST;
    await putManifest(repo, image.tag, body, mediaType);
    const forgedDigest = `sha256:${sha256Hex(body)}`;
    expect(
      cosign([
        'sign',
        '--key',
        join(scratch, 'other.key'),
        '--tlog-upload=false',
        '--yes',
        '--allow-insecure-registry',
        `${image.repository}@${forgedDigest}`,
      ]).code,
    ).toBe(0);
    try {
      const byTarget = await verify('debian12-amd64', 'bake.pub');
      expect(byTarget.code).toBe(ExitCode.Untrusted);
      expect(byTarget.stderr).toContain(`points at ${forgedDigest}, but the catalog records ${image.manifestDigest}`);
      const byTag = await verify(`${image.repository}:${image.tag}`, 'other.pub');
      expect(byTag.code).toBe(ExitCode.Untrusted);
      expect(byTag.stderr).toContain('re-tagged to another image');
    } finally {
      await putManifest(repo, image.tag, original, mediaType);
    }
    expect((await verify('debian12-amd64', 'bake.pub')).code).toBe(0);
  });

  test('a removed attestation', async () => {
    const { repo, original, manifest, layers } = await attestations(images.toolchain);
    expect(layers.map((l) => l.predicateType)).toEqual(expect.arrayContaining(['https://slsa.dev/provenance/v1']));
    const without = {
      ...manifest,
      layers: layers.filter((l) => l.predicateType !== 'https://slsa.dev/provenance/v1').map((l) => l.layer),
    };
    await putManifest(repo, attTag(images.toolchain.manifestDigest!), Buffer.from(JSON.stringify(without)));
    try {
      const r = await verify('debian12-amd64', 'bake.pub');
      expect(r.code).toBe(ExitCode.Untrusted);
      expect(r.stderr).toContain('no slsaprovenance1 attestation verifies with this key');
      expect(r.stdout).toMatch(/attestation\.cyclonedx\s+ok/);
    } finally {
      await putManifest(repo, attTag(images.toolchain.manifestDigest!), original);
    }
  });

  test('a tampered SBOM (its signature kept)', async () => {
    const { repo, original, manifest, layers } = await attestations(images.toolchain);
    const sbom = layers.find((l) => l.predicateType === 'https://cyclonedx.org/bom')!;
    const payload = Buffer.from(sbom.envelope.payload, 'base64').toString('utf8');
    expect(payload).toMatch(/"name":"git"/);
    const tampered = {
      ...sbom.envelope,
      payload: Buffer.from(payload.replace(/1:2\.39\.[^"]*/g, '1:2.99.0-0')).toString('base64'),
    };
    const blob = Buffer.from(JSON.stringify(tampered));
    const digest = await putBlob(repo, blob);
    const changed = {
      ...manifest,
      layers: manifest.layers.map((l) => (l.digest === sbom.layer.digest ? { ...l, digest, size: blob.length } : l)),
    };
    await putManifest(repo, attTag(images.toolchain.manifestDigest!), Buffer.from(JSON.stringify(changed)));
    try {
      const r = await verify('debian12-amd64', 'bake.pub');
      expect(r.code).toBe(ExitCode.Untrusted);
      expect(r.stderr).toContain('no cyclonedx attestation verifies with this key');
    } finally {
      await putManifest(repo, attTag(images.toolchain.manifestDigest!), original);
    }
  });
});

describe('no private key material anywhere', () => {
  test('not in any log line, report, catalog document, attestation, signature or layer in the registry', async () => {
    const key = await fs.readFile(join(scratch, 'bake.key'), 'utf8');
    const body = key.split('\n').filter((l) => l && !l.startsWith('-----'));
    // This key's own header and body lines: the base image's Go sources and docs hold other PEM keys.
    const needles = [
      'ENCRYPTED SIGSTORE PRIVATE KEY',
      body[0],
      body[Math.floor(body.length / 2)],
      join(scratch, 'bake.key'),
      PASSWORD,
    ];
    const leaks = (text: string, where: string) =>
      needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 12)}`);
    const found: string[] = outputs.flatMap((o, i) => leaks(o, `bake output ${i}`));
    for (const kind of ['toolchain', 'runtime'])
      for (const file of await fs.readdir(join(scratch, 'reports', 'debian12-amd64', kind)))
        found.push(...leaks(await fs.readFile(join(scratch, 'reports', 'debian12-amd64', kind, file), 'utf8'), file));
    const storage = join(services().registry.dir, 'storage');
    let blobs = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name === 'data') {
          blobs++;
          found.push(...(await scanBlob(path, needles)));
        }
      }
    };
    await walk(join(storage, 'docker', 'registry', 'v2', 'blobs'));
    expect(blobs).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});

/** Searches one blob (gunzipped when it is a compressed layer) for any needle, streaming. */
async function scanBlob(path: string, needles: string[]): Promise<string[]> {
  const head = Buffer.alloc(2);
  const handle = await fs.open(path, 'r');
  await handle.read(head, 0, 2, 0);
  await handle.close();
  const stream =
    head[0] === 0x1f && head[1] === 0x8b ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  const hits = new Set<string>();
  let tail = '';
  for await (const chunk of stream) {
    const text = tail + (chunk as Buffer).toString('latin1');
    for (const n of needles) if (text.includes(n)) hits.add(`${path}: ${n.slice(0, 12)}`);
    tail = text.slice(-200);
  }
  return [...hits];
}

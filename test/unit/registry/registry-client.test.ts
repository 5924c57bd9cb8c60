import { BakeError, ExitCode } from '../../../bake/common/errors';
import type { RetryOptions } from '../../../bake/common/retry';
import { HttpRegistryClient } from '../../../bake/registry/registry-client';
import { closedPort } from '../golang/http-fixture';
import { digestOf, seedBlob, seedManifest, startFakeRegistry, type FakeRegistry } from './fake-registry';

// Backoff between retries is real time in production; here each wait is recorded and not waited.
const mockWaits: number[] = [];
jest.mock('../../../bake/common/retry', () => {
  const actual = jest.requireActual<typeof import('../../../bake/common/retry')>('../../../bake/common/retry');
  return {
    ...actual,
    retry: <T>(fn: () => Promise<T>, options: RetryOptions) =>
      actual.retry(fn, {
        ...options,
        firstDelayMs: 0,
        maxDelayMs: 0,
        onRetry: (_err, next) => mockWaits.push(next.delayMs),
      }),
  };
});

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const REPO = 'golden/debian12-go';

let registry: FakeRegistry;
beforeEach(async () => {
  registry = await startFakeRegistry();
  mockWaits.length = 0;
});
afterEach(() => registry.close());

async function failure(promise: Promise<unknown>): Promise<BakeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  return err as BakeError;
}

/** A manifest whose config and layer are in the registry. */
function seedImage(repo = REPO): { body: Buffer; digest: string } {
  const config = Buffer.from('{"architecture":"amd64"}');
  const layer = Buffer.from('layer bytes');
  seedBlob(registry, repo, config);
  seedBlob(registry, repo, layer);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
    }),
  );
  return { body, digest: digestOf(body) };
}

describe('blobs', () => {
  test('putBlob uploads monolithically (POST, then PUT with the digest) and returns the digest', async () => {
    const client = new HttpRegistryClient(registry.host);
    const data = Buffer.from('a readiness report');
    expect(await client.putBlob(REPO, data)).toBe(digestOf(data));
    expect(registry.blobs.get(REPO)?.get(digestOf(data))).toEqual(data);
    expect(registry.requests).toEqual([
      `HEAD /v2/${REPO}/blobs/${digestOf(data)}`,
      `POST /v2/${REPO}/blobs/uploads/`,
      expect.stringMatching(new RegExp(`^PUT /v2/${REPO}/blobs/uploads/[0-9a-f-]+$`)),
    ]);
  });

  test('putBlob of bytes the registry already has only asks (HEAD), uploads nothing', async () => {
    const data = Buffer.from('already there');
    seedBlob(registry, REPO, data);
    expect(await new HttpRegistryClient(registry.host).putBlob(REPO, data)).toBe(digestOf(data));
    expect(registry.requests).toEqual([`HEAD /v2/${REPO}/blobs/${digestOf(data)}`]);
  });

  test('headBlob gives the size, or undefined when the registry lacks the blob', async () => {
    const digest = seedBlob(registry, REPO, Buffer.from('12345'));
    const client = new HttpRegistryClient(registry.host);
    expect(await client.headBlob(REPO, digest)).toBe(5);
    expect(await client.headBlob(REPO, digestOf('nothing'))).toBeUndefined();
  });

  test('getBlob gives the bytes, or undefined when the registry lacks the blob', async () => {
    const data = Buffer.from('blob bytes');
    const digest = seedBlob(registry, REPO, data);
    const client = new HttpRegistryClient(registry.host);
    expect(await client.getBlob(REPO, digest)).toEqual(data);
    expect(await client.getBlob(REPO, digestOf('nothing'))).toBeUndefined();
  });

  test('getBlob refuses a blob whose bytes do not match its digest', async () => {
    const digest = seedBlob(registry, REPO, Buffer.from('the real report'));
    registry.tamperedBlobs.set(digest, Buffer.from('a forged report'));
    const err = await failure(new HttpRegistryClient(registry.host).getBlob(REPO, digest));
    expect(err.exitCode).toBe(ExitCode.Untrusted);
    expect(err.message).toContain(`blob ${digest} of ${REPO} does not match its digest`);
  });
});

describe('manifests and tags', () => {
  test('putManifest stores under a tag and returns the digest; get and head find it by tag and by digest', async () => {
    const { body, digest } = seedImage();
    const client = new HttpRegistryClient(registry.host);
    expect(await client.putManifest(REPO, '1.22.12-20260115-abc-amd64', OCI_MANIFEST, body)).toBe(digest);
    for (const ref of ['1.22.12-20260115-abc-amd64', digest]) {
      expect(await client.getManifest(REPO, ref)).toEqual({ digest, mediaType: OCI_MANIFEST, body });
      expect(await client.headManifest(REPO, ref)).toEqual({ digest, mediaType: OCI_MANIFEST, size: body.length });
    }
  });

  test('an unknown tag or digest is undefined, not an error', async () => {
    const client = new HttpRegistryClient(registry.host);
    expect(await client.getManifest(REPO, 'nope')).toBeUndefined();
    expect(await client.headManifest(REPO, digestOf('nope'))).toBeUndefined();
  });

  test(
    'a manifest the registry refuses (its blobs are missing) ' + 'fails at once with the HTTP status, without retries',
    async () => {
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { digest: digestOf('x'), size: 1 },
          layers: [],
        }),
      );
      const err = await failure(new HttpRegistryClient(registry.host).putManifest(REPO, 'latest', OCI_MANIFEST, body));
      expect(err.message).toContain(`PUT /v2/${REPO}/manifests/latest failed: HTTP 400`);
      expect(registry.requests).toHaveLength(1);
      expect(mockWaits).toEqual([]);
    },
  );

  test('listTags lists a repository, and an unknown repository has none', async () => {
    const { body } = seedImage();
    seedManifest(registry, REPO, OCI_MANIFEST, body, '1.22');
    seedManifest(registry, REPO, OCI_MANIFEST, body, '1.22.12');
    const client = new HttpRegistryClient(registry.host);
    expect((await client.listTags(REPO)).sort()).toEqual(['1.22', '1.22.12']);
    expect(await client.listTags('golden/unknown')).toEqual([]);
  });

  test('deleteManifest removes the manifest; deleting one that is gone is not an error', async () => {
    const { body } = seedImage();
    const digest = seedManifest(registry, REPO, OCI_MANIFEST, body, 'old');
    const client = new HttpRegistryClient(registry.host);
    await client.deleteManifest(REPO, digest);
    expect(await client.headManifest(REPO, digest)).toBeUndefined();
    await expect(client.deleteManifest(REPO, digest)).resolves.toBeUndefined();
  });
});

describe('authentication', () => {
  const user = 'ci-robot';
  const password = 's3cr3t-pa55';
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  test(
    'Bearer: fetches a token from the realm the challenge names (with the credentials) ' + 'and retries with it',
    async () => {
      registry.auth = { kind: 'bearer', username: user, password };
      const client = new HttpRegistryClient(registry.host, { username: user, password });
      const digest = seedBlob(registry, REPO, Buffer.from('x'));
      expect(await client.headBlob(REPO, digest)).toBe(1);
      expect(registry.requests).toEqual([
        `HEAD /v2/${REPO}/blobs/${digest}`,
        'GET /token',
        `HEAD /v2/${REPO}/blobs/${digest}`,
      ]);
      expect(registry.authorizations).toEqual([undefined, 'Bearer fake-registry-token']);
      expect(Object.fromEntries(registry.tokenForms[0])).toEqual({
        service: 'fake-registry',
        scope: `repository:${REPO}:pull,push`,
      });
    },
  );

  test('Bearer: the token is kept for the next request', async () => {
    registry.auth = { kind: 'bearer', username: user, password };
    const client = new HttpRegistryClient(registry.host, { username: user, password });
    await client.ping();
    await client.listTags(REPO);
    expect(registry.requests.filter((r) => r === 'GET /token')).toHaveLength(1);
  });

  test('Bearer with an identity token: exchanges it at the realm (OAuth2 refresh_token grant)', async () => {
    registry.auth = { kind: 'bearer', username: user, password, identityToken: 'identity-t0ken' };
    const client = new HttpRegistryClient(registry.host, { identityToken: 'identity-t0ken' });
    expect(await client.listTags(REPO)).toEqual([]);
    expect(registry.requests).toContain('POST /token');
    expect(Object.fromEntries(registry.tokenForms[0])).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'identity-t0ken',
      service: 'fake-registry',
      scope: `repository:${REPO}:pull,push`,
    });
  });

  test(
    'Bearer with an identity token the token service refuses: ' + 'a usage error that never carries the token',
    async () => {
      registry.auth = { kind: 'bearer', username: user, password, identityToken: 'the-right-one' };
      const err = await failure(new HttpRegistryClient(registry.host, { identityToken: 'identity-t0ken' }).ping());
      expect(err.exitCode).toBe(ExitCode.Usage);
      expect(err.message).toContain('the token service refused (HTTP 401)');
      expect(err.message).not.toContain('identity-t0ken');
    },
  );

  test('Basic: answers the challenge with the user and password', async () => {
    registry.auth = { kind: 'basic', username: user, password };
    await new HttpRegistryClient(registry.host, { username: user, password }).ping();
    expect(registry.authorizations).toEqual([undefined, basic]);
  });

  test('Basic without credentials: says how to log in', async () => {
    registry.auth = { kind: 'basic', username: user, password };
    const err = await failure(new HttpRegistryClient(registry.host).ping());
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toContain(`docker login ${registry.host}`);
  });

  test.each(['basic', 'bearer'] as const)(
    '%s with a wrong password: a usage error that never carries the credentials',
    async (kind) => {
      registry.auth = { kind, username: user, password: 'the-right-one' };
      const err = await failure(new HttpRegistryClient(registry.host, { username: user, password }).ping());
      expect(err.exitCode).toBe(ExitCode.Usage);
      expect(err.message).toMatch(/HTTP 401/);
      for (const secret of [password, basic, Buffer.from(`${user}:${password}`).toString('base64')])
        expect(`${err.message} ${err.hint ?? ''}`).not.toContain(secret);
    },
  );
});

describe('retries', () => {
  test('a 503 is retried after a backoff, and the second answer is used', async () => {
    registry.failures.set(`/v2/${REPO}/tags/list`, [503]);
    seedManifest(registry, REPO, OCI_MANIFEST, Buffer.from('{}'), 'v1');
    expect(await new HttpRegistryClient(registry.host).listTags(REPO)).toEqual(['v1']);
    expect(registry.requests).toEqual([`GET /v2/${REPO}/tags/list`, `GET /v2/${REPO}/tags/list`]);
    expect(mockWaits).toHaveLength(1);
  });

  test(
    'a registry that keeps answering 503 is unavailable after four attempts, ' + 'with the status in the message',
    async () => {
      registry.failures.set('/v2/', [503, 503, 503, 503, 503]);
      const err = await failure(new HttpRegistryClient(registry.host).ping());
      expect(err.exitCode).toBe(ExitCode.Unavailable);
      expect(err.message).toBe(`registry ${registry.host}: GET /v2/ failed: HTTP 503 injected 503`);
      expect(registry.requests).toHaveLength(4);
      expect(mockWaits).toHaveLength(3);
    },
  );

  test('a registry nobody listens on is unavailable after the retries', async () => {
    const err = await failure(new HttpRegistryClient(`127.0.0.1:${await closedPort()}`).ping());
    expect(err.exitCode).toBe(ExitCode.Unavailable);
    expect(err.message).toMatch(/GET \/v2\/ failed: .*ECONNREFUSED/);
    // Four attempts, a wait between each two and none after the last.
    expect(mockWaits).toHaveLength(3);
  });
});

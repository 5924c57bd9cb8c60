// An in-process registry on 127.0.0.1 speaking just enough of the OCI distribution API for
// the registry client and the catalog in the registry: manifests, blobs (monolithic upload),
// tags, and the Basic or Bearer (token service on the same server) challenges.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredManifest {
  mediaType: string;
  body: Buffer;
}

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /** The token service takes Basic user/password, or an OAuth2 refresh token (the Docker identity token). */
  | { kind: 'bearer'; username: string; password: string; identityToken?: string };

export interface FakeRegistry {
  /** `127.0.0.1:PORT`, as `--registry` takes it. */
  host: string;
  auth: FakeAuth;
  /** repository -> digest -> manifest */
  manifests: Map<string, Map<string, StoredManifest>>;
  /** repository -> tag -> digest */
  tags: Map<string, Map<string, string>>;
  /** repository -> digest -> bytes */
  blobs: Map<string, Map<string, Buffer>>;
  /** Bytes served instead of the stored ones (a corrupt or lying registry). */
  tamperedBlobs: Map<string, Buffer>;
  /** Statuses answered (once each, in order) before a path's real answer, e.g. [503]. */
  failures: Map<string, number[]>;
  /** `METHOD path` of every request, token service included. */
  requests: string[];
  /** The Authorization header of every request to /v2 (undefined when none). */
  authorizations: (string | undefined)[];
  /** What the token service was asked: the query of a GET, the form of a POST. */
  tokenForms: URLSearchParams[];
  close(): Promise<void>;
}

export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

const ISSUED_TOKEN = 'fake-registry-token';

export async function startFakeRegistry(auth: FakeAuth = { kind: 'none' }): Promise<FakeRegistry> {
  const state = {
    auth,
    manifests: new Map<string, Map<string, StoredManifest>>(),
    tags: new Map<string, Map<string, string>>(),
    blobs: new Map<string, Map<string, Buffer>>(),
    tamperedBlobs: new Map<string, Buffer>(),
    failures: new Map<string, number[]>(),
    requests: [] as string[],
    authorizations: [] as (string | undefined)[],
    tokenForms: [] as URLSearchParams[],
  };
  const uploads = new Map<string, string>();
  let host = '';

  const of = <V>(map: Map<string, Map<string, V>>, repo: string) =>
    map.get(repo) ?? map.set(repo, new Map()).get(repo)!;
  const errorBody = (code: string) =>
    JSON.stringify({ errors: [{ code, message: code.toLowerCase().replace(/_/g, ' ') }] });

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    const a = state.auth;
    if (a.kind === 'none') return true;
    if (a.kind === 'basic') return header === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    return header === `Bearer ${ISSUED_TOKEN}`;
  }

  function challenge(res: ServerResponse, repo: string | undefined): void {
    const a = state.auth;
    const value =
      a.kind === 'basic'
        ? 'Basic realm="fake registry"'
        : `Bearer realm="http://${host}/token",service="fake-registry"${repo ? `,scope="repository:${repo}:pull,push"` : ''}`;
    res
      .writeHead(401, { 'www-authenticate': value, 'content-type': 'application/json' })
      .end(errorBody('UNAUTHORIZED'));
  }

  async function tokenService(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const a = state.auth;
    if (a.kind !== 'bearer') return void res.writeHead(404).end();
    let ok: boolean;
    if (req.method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      state.tokenForms.push(form);
      ok =
        form.get('grant_type') === 'refresh_token' &&
        a.identityToken !== undefined &&
        form.get('refresh_token') === a.identityToken;
    } else {
      state.tokenForms.push(url.searchParams);
      ok = req.headers.authorization === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    }
    if (!ok) return void res.writeHead(401, { 'content-type': 'application/json' }).end(errorBody('UNAUTHORIZED'));
    const payload = req.method === 'POST' ? { access_token: ISSUED_TOKEN } : { token: ISSUED_TOKEN };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }

  function manifestRoute(req: IncomingMessage, res: ServerResponse, repo: string, ref: string, body: Buffer): void {
    const byDigest = of(state.manifests, repo);
    const digest = ref.startsWith('sha256:') ? ref : state.tags.get(repo)?.get(ref);
    const stored = digest === undefined ? undefined : byDigest.get(digest);
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        if (!stored)
          return void res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(req.method === 'GET' ? errorBody('MANIFEST_UNKNOWN') : undefined);
        res.writeHead(200, {
          'content-type': stored.mediaType,
          'content-length': stored.body.length,
          'docker-content-digest': digest!,
        });
        return void res.end(req.method === 'GET' ? stored.body : undefined);
      case 'PUT': {
        const actual = digestOf(body);
        if (ref.startsWith('sha256:') && ref !== actual)
          return void res.writeHead(400).end(errorBody('DIGEST_INVALID'));
        let parsed: { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return void res.writeHead(400).end(errorBody('MANIFEST_INVALID'));
        }
        // As a real registry does: every blob and child manifest named must already be there.
        const blobs = of(state.blobs, repo);
        const missingBlob = [parsed.config, ...(parsed.layers ?? [])].find(
          (d) => d && blobs.get(d.digest)?.length !== d.size,
        );
        const missingChild = (parsed.manifests ?? []).find((d) => !byDigest.has(d.digest));
        if (missingBlob || missingChild)
          return void res.writeHead(400).end(errorBody(missingBlob ? 'MANIFEST_BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN'));
        byDigest.set(actual, { mediaType: String(req.headers['content-type']), body });
        if (!ref.startsWith('sha256:')) of(state.tags, repo).set(ref, actual);
        return void res
          .writeHead(201, { 'docker-content-digest': actual, location: `/v2/${repo}/manifests/${actual}` })
          .end();
      }
      case 'DELETE':
        if (!ref.startsWith('sha256:') || !stored) return void res.writeHead(404).end(errorBody('MANIFEST_UNKNOWN'));
        byDigest.delete(ref);
        for (const [tag, d] of state.tags.get(repo) ?? []) if (d === ref) state.tags.get(repo)!.delete(tag);
        return void res.writeHead(202).end();
      default:
        return void res.writeHead(405).end();
    }
  }

  function blobRoute(req: IncomingMessage, res: ServerResponse, repo: string, digest: string): void {
    const stored = state.blobs.get(repo)?.get(digest);
    if (!stored) return void res.writeHead(404).end(req.method === 'GET' ? errorBody('BLOB_UNKNOWN') : undefined);
    const served = state.tamperedBlobs.get(digest) ?? stored;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': served.length,
      'docker-content-digest': digest,
    });
    res.end(req.method === 'GET' ? served : undefined);
  }

  function uploadRoute(
    req: IncomingMessage,
    res: ServerResponse,
    repo: string,
    id: string,
    url: URL,
    body: Buffer,
  ): void {
    if (req.method === 'POST' && id === '') {
      const uuid = randomUUID();
      uploads.set(uuid, repo);
      return void res
        .writeHead(202, {
          location: `/v2/${repo}/blobs/uploads/${uuid}?_state=opaque`,
          'docker-upload-uuid': uuid,
          range: '0-0',
        })
        .end();
    }
    if (req.method === 'PUT' && uploads.get(id) === repo) {
      const digest = url.searchParams.get('digest') ?? '';
      if (digestOf(body) !== digest) return void res.writeHead(400).end(errorBody('DIGEST_INVALID'));
      uploads.delete(id);
      of(state.blobs, repo).set(digest, body);
      return void res
        .writeHead(201, { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest })
        .end();
    }
    res.writeHead(404).end(errorBody('BLOB_UPLOAD_UNKNOWN'));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', `http://${host}`);
    state.requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/token') return tokenService(req, res, url, body);
    if (!url.pathname.startsWith('/v2/')) return void res.writeHead(404).end();
    state.authorizations.push(req.headers.authorization);
    const failure = state.failures.get(url.pathname)?.shift();
    if (failure) return void res.writeHead(failure, { 'content-type': 'text/plain' }).end(`injected ${failure}`);
    const route = /^\/v2\/(.+?)\/(manifests|blobs\/uploads|blobs|tags)\/(.*)$/.exec(url.pathname);
    if (!authorized(req)) return challenge(res, route?.[1]);
    if (url.pathname === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (!route) return void res.writeHead(404).end();
    const [, repo, kind, rest] = route as unknown as [string, string, string, string];
    if (kind === 'manifests') return manifestRoute(req, res, repo, rest, body);
    if (kind === 'blobs/uploads') return uploadRoute(req, res, repo, rest, url, body);
    if (kind === 'blobs') return blobRoute(req, res, repo, rest);
    if (rest !== 'list' || req.method !== 'GET') return void res.writeHead(404).end();
    const tags = state.tags.get(repo);
    if (!tags) return void res.writeHead(404, { 'content-type': 'application/json' }).end(errorBody('NAME_UNKNOWN'));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ name: repo, tags: [...tags.keys()] }));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

interface Descriptor {
  digest: string;
  size: number;
}

/** Puts bytes straight into the fake's storage (what another client pushed earlier). */
export function seedBlob(registry: FakeRegistry, repo: string, data: Buffer): string {
  const digest = digestOf(data);
  (registry.blobs.get(repo) ?? registry.blobs.set(repo, new Map()).get(repo)!).set(digest, data);
  return digest;
}

export function seedManifest(
  registry: FakeRegistry,
  repo: string,
  mediaType: string,
  body: Buffer,
  tag?: string,
): string {
  const digest = digestOf(body);
  (registry.manifests.get(repo) ?? registry.manifests.set(repo, new Map()).get(repo)!).set(digest, { mediaType, body });
  if (tag) (registry.tags.get(repo) ?? registry.tags.set(repo, new Map()).get(repo)!).set(tag, digest);
  return digest;
}

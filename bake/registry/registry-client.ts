import { BakeError, ExitCode, errorMessage } from '../common/errors';
import { sha256Hex } from '../common/sha256';
import { retry } from '../common/retry';
import type { RegistryCredentials } from './registry-credentials';
import { registryScheme } from './remote-ref';

/** A manifest as the registry serves it: its digest, media type and exact bytes. */
export interface Manifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

/** The parts of the OCI distribution API bake uses: manifests, blobs, tags. */
export interface RegistryClient {
  readonly host: string;
  ping(): Promise<void>;
  /** The manifest's digest and media type, or undefined when the tag or digest does not exist. */
  headManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; mediaType: string; size: number } | undefined>;
  getManifest(repository: string, reference: string): Promise<Manifest | undefined>;
  /** Stores a manifest under a tag or its digest; returns its digest. */
  putManifest(repository: string, reference: string, mediaType: string, body: Buffer): Promise<string>;
  getBlob(repository: string, digest: string): Promise<Buffer | undefined>;
  /** A blob's size, or undefined when the registry does not have it. */
  headBlob(repository: string, digest: string): Promise<number | undefined>;
  /** Uploads a blob unless the registry has it; returns its digest. */
  putBlob(repository: string, data: Buffer): Promise<string>;
  /** Tags of a repository ([] when it does not exist). */
  listTags(repository: string): Promise<string[]>;
  deleteManifest(repository: string, digest: string): Promise<void>;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const ATTEMPTS = 4;
const TIMEOUT_MS = 60_000;

interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer;
  /** Statuses that are answers, not failures (404 for "does not exist"). */
  accept?: number[];
}

/**
 * The registry HTTP API v2 over fetch, with the token and basic authentication registries use
 * and retries with backoff on network errors and 5xx answers. Credentials only ever go into
 * request headers, never into messages.
 */
export class HttpRegistryClient implements RegistryClient {
  private token?: string;

  constructor(
    readonly host: string,
    private readonly credentials?: RegistryCredentials,
  ) {}

  private get base(): string {
    return `${registryScheme(this.host)}://${this.host}`;
  }

  async ping(): Promise<void> {
    await this.request('GET', '/v2/', {});
  }

  async headManifest(repository: string, reference: string) {
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_TYPES },
      accept: [404],
    });
    if (res.status === 404) return undefined;
    return {
      digest: res.headers.get('docker-content-digest') ?? '',
      mediaType: res.headers.get('content-type') ?? '',
      size: Number(res.headers.get('content-length') ?? 0),
    };
  }

  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_TYPES },
      accept: [404],
    });
    if (res.status === 404) return undefined;
    const body = Buffer.from(await res.arrayBuffer());
    return {
      digest: res.headers.get('docker-content-digest') ?? `sha256:${sha256Hex(body)}`,
      mediaType: res.headers.get('content-type') ?? '',
      body,
    };
  }

  async putManifest(repository: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
    await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'content-type': mediaType },
      body,
    });
    return `sha256:${sha256Hex(body)}`;
  }

  async getBlob(repository: string, digest: string): Promise<Buffer | undefined> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { accept: [404] });
    if (res.status === 404) return undefined;
    const body = Buffer.from(await res.arrayBuffer());
    if (`sha256:${sha256Hex(body)}` !== digest)
      throw new BakeError(
        `registry ${this.host}: blob ${digest} of ${repository} does not match its digest`,
        ExitCode.Untrusted,
      );
    return body;
  }

  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { accept: [404] });
    return res.status === 404 ? undefined : Number(res.headers.get('content-length') ?? 0);
  }

  async putBlob(repository: string, data: Buffer): Promise<string> {
    const digest = `sha256:${sha256Hex(data)}`;
    if ((await this.headBlob(repository, digest)) !== undefined) return digest;
    const started = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {});
    const location = started.headers.get('location');
    if (!location)
      throw new BakeError(`registry ${this.host}: blob upload to ${repository} returned no location`, ExitCode.Failure);
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    await this.request('PUT', `${url.pathname}${url.search}`, {
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
    });
    return digest;
  }

  async listTags(repository: string): Promise<string[]> {
    const res = await this.request('GET', `/v2/${repository}/tags/list`, { accept: [404] });
    if (res.status === 404) return [];
    const { tags } = (await res.json()) as { tags?: string[] | null };
    return tags ?? [];
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    await this.request('DELETE', `/v2/${repository}/manifests/${digest}`, { accept: [404] });
  }

  private async request(
    method: string,
    path: string,
    options: RequestOptions,
    authenticated = false,
  ): Promise<Response> {
    try {
      return await retry(() => this.attempt(method, path, options, authenticated), {
        attempts: ATTEMPTS,
        firstDelayMs: 500,
        maxDelayMs: 8000,
        retriable: (err) => err instanceof RequestFailure && err.transient,
      });
    } catch (err) {
      if (!(err instanceof RequestFailure)) throw err;
      throw new BakeError(
        `registry ${this.host}: ${method} ${path.split('?')[0]} failed: ${err.message}`,
        res401(err.message) ? ExitCode.Usage : ExitCode.Unavailable,
      );
    }
  }

  private async attempt(
    method: string,
    path: string,
    options: RequestOptions,
    authenticated: boolean,
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...options.headers, ...(this.token ? { authorization: this.token } : {}) },
        body: options.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'follow',
      });
    } catch (err) {
      throw new RequestFailure(errorMessage((err as { cause?: unknown }).cause ?? err), true);
    }
    if (res.status === 401 && !authenticated) {
      await res.body?.cancel();
      await this.authenticate(res.headers.get('www-authenticate') ?? '');
      return this.request(method, path, options, true);
    }
    if (res.ok || options.accept?.includes(res.status)) return res;
    const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
    throw new RequestFailure(`HTTP ${res.status} ${text}`.trim(), res.status >= 500 || res.status === 429);
  }

  /** Answers a 401: Basic with the credentials, or a Bearer token from the realm it names. */
  private async authenticate(challenge: string): Promise<void> {
    const creds = this.credentials;
    const basic =
      creds?.username && creds.password
        ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
        : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic)
        throw new BakeError(
          `registry ${this.host} needs credentials; ` +
            `log in with docker login ${this.host} or set BAKE_REGISTRY_USERNAME and BAKE_REGISTRY_PASSWORD`,
          ExitCode.Usage,
        );
      this.token = basic;
      return;
    }
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]),
    );
    if (!/^bearer/i.test(challenge) || !params.realm)
      throw new BakeError(
        `registry ${this.host} asked for an authentication bake does not know: ${challenge.split(' ')[0]}`,
        ExitCode.Usage,
      );
    const url = new URL(params.realm);
    const scope = {
      ...(params.service ? { service: params.service } : {}),
      ...(params.scope ? { scope: params.scope } : {}),
    };
    // An identity token (`docker login` to ACR and the like) is an OAuth2 refresh token,
    // exchanged by a POST to the realm.
    const form = creds?.identityToken
      ? new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: 'bake',
          refresh_token: creds.identityToken,
          ...scope,
        })
      : undefined;
    if (!form) for (const [key, value] of Object.entries(scope)) url.searchParams.set(key, value);
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : basic ? { authorization: basic } : {},
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok)
      throw new BakeError(
        `registry ${this.host}: the token service refused (HTTP ${res.status}); check the credentials for ${this.host}`,
        ExitCode.Usage,
      );
    const body = (await res.json()) as { token?: string; access_token?: string };
    this.token = `Bearer ${body.token ?? body.access_token ?? ''}`;
  }
}

/** A request that did not get an answer it can use; transient ones (network, 5xx, 429) are tried again. */
class RequestFailure extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

function res401(message: string): boolean {
  return message.startsWith('HTTP 401') || message.startsWith('HTTP 403');
}

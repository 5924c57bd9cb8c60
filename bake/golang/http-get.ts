import { Readable } from 'node:stream';
import { BakeError, ExitCode } from '../common/errors';
import { SourceUnavailableError } from './source-unavailable-error';

export interface HttpGetOptions {
  /** Whole-request limit (headers and body); a stalled server becomes "unavailable". */
  timeoutMs: number;
}

/**
 * GET with the global fetch. Network failures (DNS, refused connection, timeout) and server
 * errors become SourceUnavailableError, so the caller can fall back to another source; a
 * 404/410 returns undefined, since for a file of a reachable source "missing" is a different
 * finding (an unsigned or incomplete mirror) that must not be mistaken for an outage.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<Response | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw new SourceUnavailableError(`${url}: ${networkReason(err, options.timeoutMs)}`);
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceUnavailableError(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  return response;
}

/**
 * The whole body, refusing more than `maxBytes` (a file larger than its manifest says is
 * stopped early rather than buffered); undefined when the server says it does not exist.
 */
export async function httpGetBytes(
  url: string,
  options: HttpGetOptions & { maxBytes?: number },
): Promise<Uint8Array | undefined> {
  const response = await httpGet(url, options);
  if (!response) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of bodyStream(response) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (options.maxBytes !== undefined && size > options.maxBytes) {
        throw new BakeError(
          `${url}: larger than the ${options.maxBytes} bytes its manifest lists (altered download)`,
          ExitCode.Untrusted,
        );
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof BakeError) throw err;
    throw new SourceUnavailableError(`${url}: download interrupted (${networkReason(err, options.timeoutMs)})`);
  }
  return Buffer.concat(chunks, size);
}

/** The response body as a Node stream of bytes (empty when the body is absent). */
export function bodyStream(response: Response): Readable {
  if (!response.body) return Readable.from([]);
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

/** One short reason for a failed fetch: the system error code when there is one. */
export function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = e?.cause;
  if (cause?.code && cause.message)
    return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  return cause?.message ?? e?.message ?? String(err);
}

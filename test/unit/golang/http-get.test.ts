import { ExitCode } from '../../../bake/common/errors';
import { httpGet, httpGetBytes, networkReason } from '../../../bake/golang/http-get';
import { SourceUnavailableError } from '../../../bake/golang/source-unavailable-error';
import { closedPort, serveFiles, type TestServer } from './http-fixture';

let server: TestServer;
beforeAll(async () => {
  server = await serveFiles(new Map([['/index.json', '[1,2,3]']]), new Map([['/broken', 500]]));
});
afterAll(() => server.close());

describe('httpGet and httpGetBytes', () => {
  test('the body of a file that is there', async () => {
    expect(Buffer.from((await httpGetBytes(`${server.url}/index.json`, { timeoutMs: 5000 }))!).toString()).toBe(
      '[1,2,3]',
    );
    expect((await httpGet(`${server.url}/index.json`, { timeoutMs: 5000 }))?.status).toBe(200);
  });

  test('a missing file is undefined, not an outage', async () => {
    expect(await httpGet(`${server.url}/missing`, { timeoutMs: 5000 })).toBeUndefined();
    expect(await httpGetBytes(`${server.url}/missing`, { timeoutMs: 5000 })).toBeUndefined();
  });

  test('a server error is an unavailable source, naming the URL and the status', async () => {
    await expect(httpGet(`${server.url}/broken`, { timeoutMs: 5000 })).rejects.toThrow(
      new SourceUnavailableError(`${server.url}/broken: HTTP 500 Internal Server Error`),
    );
  });

  test('a refused connection is an unavailable source with the system reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/x`;
    await expect(httpGet(url, { timeoutMs: 5000 })).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: expect.stringMatching(new RegExp(`^${url}: .*ECONNREFUSED`)),
    });
  });

  test('a body larger than the manifest allows is stopped as altered', async () => {
    await expect(httpGetBytes(`${server.url}/index.json`, { timeoutMs: 5000, maxBytes: 3 })).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: `${server.url}/index.json: larger than the 3 bytes its manifest lists (altered download)`,
    });
  });
});

describe('networkReason', () => {
  test('a timeout in seconds, else the system error with its code, else the message', () => {
    expect(networkReason(Object.assign(new Error('x'), { name: 'TimeoutError' }), 30_000)).toBe(
      'no answer within 30 s',
    );
    const dns = new TypeError('fetch failed', {
      cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND go.dev' },
    });
    expect(networkReason(dns, 1000)).toBe('getaddrinfo ENOTFOUND go.dev');
    const reset = new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: 'other side closed' } });
    expect(networkReason(reset, 1000)).toBe('ECONNRESET: other side closed');
    expect(networkReason(new Error('plain'), 1000)).toBe('plain');
    expect(networkReason('text', 1000)).toBe('text');
  });
});

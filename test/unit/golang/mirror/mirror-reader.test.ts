import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMirrorReader, isUrl } from '../../../../bake/golang/mirror/mirror-reader';
import { SourceUnavailableError } from '../../../../bake/golang/source-unavailable-error';
import { scratchDir } from '../../scratch-dir';
import { closedPort, serveFiles } from '../http-fixture';

const timeouts = { timeoutMs: 5000, downloadTimeoutMs: 5000 };

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('isUrl', () => {
  test('http and https only; a path or a file:// URL is a directory', () => {
    expect(isUrl('https://mirror.example/go')).toBe(true);
    expect(isUrl('HTTP://mirror.example/go')).toBe(true);
    expect(isUrl('file:///srv/go')).toBe(false);
    expect(isUrl('/srv/go')).toBe(false);
  });
});

describe('a mirror directory', () => {
  const dir = scratchDir('bake-mirror-reader-');
  writeFileSync(join(dir, 'SHA256SUMS'), 'sums');

  test.each([
    ['a path', dir],
    ['a file:// URL', pathToFileURL(dir).toString()],
  ])('given as %s: reads files, and a missing file is undefined', async (_what, location) => {
    const reader = createMirrorReader(location, timeouts);
    expect(reader.where('SHA256SUMS')).toBe(join(dir, 'SHA256SUMS'));
    expect(Buffer.from((await reader.readSmall('SHA256SUMS'))!).toString()).toBe('sums');
    expect(await text(await reader.stream('SHA256SUMS'))).toBe('sums');
    expect(await reader.readSmall('index.json')).toBeUndefined();
    expect(await reader.stream('index.json')).toBeUndefined();
  });

  test('that does not exist is an unavailable source, not a missing file', async () => {
    const reader = createMirrorReader(join(dir, 'nope'), timeouts);
    await expect(reader.readSmall('SHA256SUMS')).rejects.toThrow(
      new SourceUnavailableError(`${join(dir, 'nope')}: no such mirror directory`),
    );
    await expect(reader.stream('SHA256SUMS')).rejects.toBeInstanceOf(SourceUnavailableError);
  });
});

describe('a mirror URL', () => {
  test('reads files below the URL (with or without its trailing slash), names escaped', async () => {
    const server = await serveFiles(new Map([['/go/SHA256SUMS', 'sums']]));
    try {
      for (const base of [`${server.url}/go`, `${server.url}/go/`]) {
        const reader = createMirrorReader(base, timeouts);
        expect(reader.where('SHA256SUMS')).toBe(`${server.url}/go/SHA256SUMS`);
        expect(reader.where('../a b')).toBe(`${server.url}/go/..%2Fa%20b`);
        expect(Buffer.from((await reader.readSmall('SHA256SUMS'))!).toString()).toBe('sums');
        expect(await text(await reader.stream('SHA256SUMS'))).toBe('sums');
        expect(await reader.readSmall('index.json')).toBeUndefined();
        expect(await reader.stream('index.json')).toBeUndefined();
      }
    } finally {
      await server.close();
    }
  });

  test('that does not answer is an unavailable source', async () => {
    const reader = createMirrorReader(`http://127.0.0.1:${await closedPort()}/go`, timeouts);
    await expect(reader.readSmall('SHA256SUMS')).rejects.toBeInstanceOf(SourceUnavailableError);
  });
});

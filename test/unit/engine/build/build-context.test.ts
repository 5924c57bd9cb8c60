import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { packContext } from '../../../../bake/engine/build/build-context';
import { scratchDir } from '../../scratch-dir';

describe('packContext', () => {
  test('the directory as a tar stream, its bytes counted as they are read', async () => {
    const dir = scratchDir('bake-context-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'go-env.sh'), 'export GOTOOLCHAIN=local\n');
    const packed = packContext(dir);
    expect(packed.bytes()).toBe(0);
    const entries: Record<string, string> = {};
    const reader = extract();
    reader.on('entry', (header, stream, next) => {
      let body = '';
      stream.on('data', (c: unknown) => {
        body += String(c);
      });
      stream.on('end', () => {
        entries[header.name] = header.type === 'file' ? body : `<${header.type}>`;
        next();
      });
    });
    let total = 0;
    packed.stream.on('data', (c: Buffer) => (total += c.length));
    await new Promise<void>((resolve, reject) => {
      reader.on('finish', resolve);
      reader.on('error', reject);
      packed.stream.pipe(reader);
    });
    expect(entries).toEqual({
      '.': '<directory>',
      Dockerfile: 'FROM scratch\n',
      files: '<directory>',
      'files/go-env.sh': 'export GOTOOLCHAIN=local\n',
    });
    expect(packed.bytes()).toBe(total);
    expect(total % 512).toBe(0);
  });

  test('a directory that cannot be read fails the stream', async () => {
    const packed = packContext(join(scratchDir('bake-context-'), 'missing'));
    await expect(
      new Promise((resolve, reject) => {
        packed.stream.on('error', reject);
        packed.stream.on('end', resolve);
        packed.stream.resume();
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});

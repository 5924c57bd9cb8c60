import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBuildInfoBlob, parseModInfo, readGoBuildInfo } from '../../../bake/sbom/go-buildinfo';

// `go version -m` of a binary built with -trimpath from a module with one replaced dependency.
const MODINFO = [
  'path\texample.com/tool/cmd/tool',
  'mod\texample.com/tool\tv1.4.0\th1:AAAA',
  'dep\tgolang.org/x/mod\tv0.21.0\th1:BBBB',
  'dep\tgithub.com/old/lib\tv1.0.0',
  '=>\tgithub.com/new/lib\tv1.2.0\th1:CCCC',
  'build\t-trimpath=true',
  'build\tCGO_ENABLED=0',
  'build\t-ldflags="-s -w"',
  'build\tvcs.revision=0123456789abcdef',
].join('\n');

describe('Go build info', () => {
  test('the module text gives the package, main module, dependencies with replacements and settings', () => {
    expect(parseModInfo(MODINFO)).toEqual({
      packagePath: 'example.com/tool/cmd/tool',
      main: { path: 'example.com/tool', version: 'v1.4.0', sum: 'h1:AAAA' },
      deps: [
        { path: 'golang.org/x/mod', version: 'v0.21.0', sum: 'h1:BBBB' },
        {
          path: 'github.com/old/lib',
          version: 'v1.0.0',
          replace: { path: 'github.com/new/lib', version: 'v1.2.0', sum: 'h1:CCCC' },
        },
      ],
      settings: { '-trimpath': 'true', CGO_ENABLED: '0', '-ldflags': '-s -w', 'vcs.revision': '0123456789abcdef' },
    });
  });

  test('a binary without section headers is searched for the blob at 16-byte alignment', () => {
    const elfHeaderOnly = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(4090)]);
    const file = Buffer.concat([
      elfHeaderOnly,
      Buffer.alloc(16 - (elfHeaderOnly.length % 16)),
      encodeBuildInfoBlob('go1.27.4', MODINFO),
    ]);
    const info = readGoBuildInfo(file);
    expect(info?.goVersion).toBe('go1.27.4');
    expect(info?.deps.map((d) => d.path)).toEqual(['golang.org/x/mod', 'github.com/old/lib']);
  });

  test('the magic at an unaligned offset, a pre-1.18 layout or a non-ELF file give nothing', () => {
    const blob = encodeBuildInfoBlob('go1.27.4', MODINFO);
    const unaligned = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(5), blob]);
    expect(readGoBuildInfo(unaligned)).toBeUndefined();
    const pointers = Buffer.from(blob);
    pointers[15] = 0;
    expect(
      readGoBuildInfo(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(12), pointers])),
    ).toBeUndefined();
    expect(readGoBuildInfo(Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.alloc(6), blob]))).toBeUndefined();
  });

  test('a truncated blob is refused, not read past its end', () => {
    const blob = encodeBuildInfoBlob('go1.27.4', MODINFO);
    const file = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(12), blob.subarray(0, 60)]);
    expect(readGoBuildInfo(file)).toBeUndefined();
  });

  // A real ELF whose .go.buildinfo section gcc laid out: the section-header path, not the search.
  const gcc = (() => {
    try {
      execFileSync('gcc', ['--version'], { stdio: 'ignore' });
      return process.arch === 'x64';
    } catch {
      return false;
    }
  })();
  if (!gcc) console.warn('SKIPPED the gcc-built .go.buildinfo fixture: gcc on x86_64 is needed');
  (gcc ? test : test.skip)('an ELF with a .go.buildinfo section is read through its section header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bake-buildinfo-'));
    try {
      const bytes = [...encodeBuildInfoBlob('go1.26.11', MODINFO)].join(',');
      writeFileSync(
        join(dir, 'main.c'),
        `__attribute__((section(".go.buildinfo"), aligned(16), used)) static const unsigned char bi[] = {${bytes}};\n` +
          'int main(void) { return 0; }\n',
      );
      execFileSync('gcc', ['-static', '-o', join(dir, 'tool'), join(dir, 'main.c')]);
      const info = readGoBuildInfo(readFileSync(join(dir, 'tool')));
      expect(info?.goVersion).toBe('go1.26.11');
      expect(info?.main).toEqual({ path: 'example.com/tool', version: 'v1.4.0', sum: 'h1:AAAA' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

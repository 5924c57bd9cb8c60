import { existsSync, readFileSync } from 'node:fs';
import { EM_AARCH64, EM_X86_64, ElfError, parseElf } from '../../../bake/readiness/elf';
import { staticBinaryProblems } from '../../../bake/readiness/static-binary';
import { buildCBinaries } from './c-binaries';

// Real binaries, built here at test time: a parser tested only on hand-made bytes proves little.
const built = buildCBinaries();
const skip = 'skip' in built ? built.skip : undefined;
if (skip) console.warn(`SKIPPED gcc-built ELF fixtures: ${skip}`);
const withGcc = skip ? test.skip : test;
const staticStripped = 'skip' in built ? Buffer.alloc(0) : built.staticStripped;
const dynamicUnstripped = 'skip' in built ? Buffer.alloc(0) : built.dynamicUnstripped;

describe('parseElf on real binaries', () => {
  withGcc('a static stripped binary has no PT_INTERP, no DT_NEEDED, no .symtab', () => {
    const info = parseElf(staticStripped);
    expect(info).toMatchObject({ bits: 64, endianness: 'little', machine: EM_X86_64, needed: [] });
    expect(info.interpreter).toBeUndefined();
    expect(info.sectionNames).toContain('.text');
    expect(info.sectionNames).not.toContain('.symtab');
    expect(staticBinaryProblems(staticStripped, 'amd64').problems).toEqual([]);
  });

  withGcc('a dynamic unstripped binary shows its loader, its libraries and its symbol table', () => {
    const info = parseElf(dynamicUnstripped);
    expect(info.interpreter).toMatch(/ld-linux-x86-64\.so\.2$/);
    expect(info.needed).toContain('libc.so.6');
    expect(info.sectionNames).toContain('.symtab');
    const { problems } = staticBinaryProblems(dynamicUnstripped, 'amd64');
    expect(problems).toEqual([
      expect.stringMatching(/^has PT_INTERP .*ld-linux/),
      expect.stringMatching(/^needs shared libraries: .*libc\.so\.6/),
      'has a .symtab section (not stripped)',
    ]);
  });

  withGcc('the wrong machine is reported against the target architecture', () => {
    const { problems } = staticBinaryProblems(staticStripped, 'arm64');
    expect(problems).toEqual(['machine is x86-64, expected aarch64 for arm64']);
    const patched = Buffer.from(staticStripped);
    patched.writeUInt16LE(EM_AARCH64, 18);
    expect(parseElf(patched).machine).toBe(EM_AARCH64);
    expect(staticBinaryProblems(patched, 'arm64').problems).toEqual([]);
  });

  withGcc('truncated and corrupt files are errors, not verdicts', () => {
    expect(() => parseElf(staticStripped.subarray(0, 40))).toThrow(ElfError);
    const badSections = Buffer.from(staticStripped);
    badSections.writeBigUInt64LE(BigInt(staticStripped.length + 4096), 40);
    expect(() => parseElf(badSections)).toThrow(/truncated ELF: section header/);
    expect(staticBinaryProblems(staticStripped.subarray(0, 40), 'amd64').problems[0]).toMatch(/truncated ELF/);
  });

  const hostLs = existsSync('/bin/ls') && process.arch === 'x64' ? test : test.skip;
  hostLs('the host /bin/ls is dynamic', () => {
    const info = parseElf(readFileSync('/bin/ls'));
    expect(info.machine).toBe(EM_X86_64);
    expect(info.interpreter).toBeDefined();
    expect(info.needed).toContain('libc.so.6');
  });

  test('non-ELF data is rejected', () => {
    expect(() => parseElf(Buffer.from('#!/bin/sh\necho hi\n'))).toThrow('not an ELF file');
    expect(staticBinaryProblems(Buffer.from('MZ'), 'amd64').problems).toEqual(['not an ELF file (bad magic)']);
  });
});

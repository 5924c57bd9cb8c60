import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A static stripped and a dynamic unstripped x86_64 binary, compiled now with the host's gcc.
 * Returns why not when they cannot be made, so the caller can skip with that reason printed.
 */
export function buildCBinaries(): { staticStripped: Buffer; dynamicUnstripped: Buffer } | { skip: string } {
  if (process.arch !== 'x64') return { skip: `the fixtures are x86_64 binaries and this host is ${process.arch}` };
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    return { skip: 'gcc is not installed (apt-get install gcc), so the static/dynamic C fixtures cannot be built' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bake-elf-'));
  try {
    writeFileSync(join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
    execFileSync('gcc', ['-static', '-s', '-o', join(dir, 'static'), join(dir, 'hello.c')]);
    execFileSync('gcc', ['-o', join(dir, 'dynamic'), join(dir, 'hello.c')]);
    return { staticStripped: readFileSync(join(dir, 'static')), dynamicUnstripped: readFileSync(join(dir, 'dynamic')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

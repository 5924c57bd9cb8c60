import type { Arch } from '../recipe/types';
import { EM_AARCH64, EM_X86_64, machineName, parseElf, type ElfInfo } from './elf';

export const ELF_MACHINE: Record<Arch, number> = { amd64: EM_X86_64, arm64: EM_AARCH64 };

/**
 * Why a binary is not a static, stripped executable for `arch` (empty when it is): what a
 * `CGO_ENABLED=0 -trimpath -ldflags "-s -w"` build must produce to run on any base.
 */
export function staticBinaryProblems(data: Uint8Array, arch: Arch): { problems: string[]; summary: string } {
  let info: ElfInfo;
  try {
    info = parseElf(data);
  } catch (err) {
    return { problems: [(err as Error).message], summary: `${data.byteLength} bytes, not a readable ELF` };
  }
  const problems: string[] = [];
  if (info.machine !== ELF_MACHINE[arch])
    problems.push(`machine is ${machineName(info.machine)}, expected ${machineName(ELF_MACHINE[arch])} for ${arch}`);
  if (info.interpreter !== undefined) problems.push(`has PT_INTERP ${info.interpreter} (dynamically linked)`);
  if (info.needed.length > 0) problems.push(`needs shared libraries: ${info.needed.join(', ')}`);
  if (info.sectionNames.includes('.symtab')) problems.push('has a .symtab section (not stripped)');
  return { problems, summary: describeElf(info, data.byteLength) };
}

export function describeElf(info: ElfInfo, size: number): string {
  return [
    `ELF${info.bits} ${info.endianness}-endian ${machineName(info.machine)}`,
    info.interpreter !== undefined ? `PT_INTERP=${info.interpreter}` : 'no PT_INTERP',
    info.needed.length ? `DT_NEEDED=${info.needed.join(',')}` : 'no DT_NEEDED',
    info.sectionNames.includes('.symtab') ? '.symtab present' : 'no .symtab',
    `${size} bytes`,
  ].join('; ');
}

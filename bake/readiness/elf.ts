/**
 * Just enough of an ELF reader to decide whether a binary is static, stripped and built for
 * the right machine, without trusting a `file` command inside the artifact under test.
 */

export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_LOAD = 1;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;

export interface ElfInfo {
  bits: 32 | 64;
  endianness: 'little' | 'big';
  /** e_type: 2 executable, 3 shared object (also PIE executables). */
  type: number;
  machine: number;
  /** The dynamic loader a PT_INTERP header asks for; absent in a static binary. */
  interpreter?: string;
  /** DT_NEEDED libraries; empty in a static binary. */
  needed: string[];
  sectionNames: string[];
  /** Every section with where its bytes are in the file (SHT_NOBITS sections have none there). */
  sections: ElfSection[];
}

export interface ElfSection {
  name: string;
  offset: number;
  size: number;
}

export class ElfError extends Error {}

interface Reader {
  u16(off: number): number;
  u32(off: number): number;
  /** Word-sized field (4 bytes in ELF32, 8 in ELF64), as a number: offsets fit in 2^53. */
  word(off: number): number;
  wordSize: number;
}

export function isElf(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

export function parseElf(data: Uint8Array): ElfInfo {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!isElf(buf) || buf.length < 6) throw new ElfError('not an ELF file (bad magic)');
  const bits = buf[4] === 1 ? 32 : buf[4] === 2 ? 64 : undefined;
  const endianness = buf[5] === 1 ? 'little' : buf[5] === 2 ? 'big' : undefined;
  if (!bits || !endianness) throw new ElfError(`unsupported ELF class ${buf[4]} or data encoding ${buf[5]}`);
  if (buf.length < (bits === 64 ? 64 : 52))
    throw new ElfError(`truncated ELF: ${buf.length} bytes is shorter than the ELF header`);
  const r = reader(buf, bits, endianness);
  const inRange = (off: number, len: number, what: string) => {
    if (off < 0 || len < 0 || off + len > buf.length)
      throw new ElfError(`truncated ELF: ${what} at ${off}+${len} beyond ${buf.length} bytes`);
  };

  const type = r.u16(16);
  const machine = r.u16(18);
  const phoff = r.word(bits === 64 ? 32 : 28);
  const shoff = r.word(bits === 64 ? 40 : 32);
  const base = bits === 64 ? 54 : 42;
  const phentsize = r.u16(base);
  const phnum = r.u16(base + 2);
  const shentsize = r.u16(base + 4);
  const shnum = r.u16(base + 6);
  const shstrndx = r.u16(base + 8);

  const segments: { type: number; offset: number; vaddr: number; filesz: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    inRange(at, phentsize, 'program header');
    // ELF64 puts p_flags right after p_type; ELF32 puts it after p_memsz.
    segments.push(
      bits === 64
        ? { type: r.u32(at), offset: r.word(at + 8), vaddr: r.word(at + 16), filesz: r.word(at + 32) }
        : { type: r.u32(at), offset: r.word(at + 4), vaddr: r.word(at + 8), filesz: r.word(at + 16) },
    );
  }

  let interpreter: string | undefined;
  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp) {
    inRange(interp.offset, interp.filesz, 'PT_INTERP');
    interpreter = cString(buf, interp.offset, interp.offset + interp.filesz);
  }

  const needed: string[] = [];
  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  if (dynamic) {
    inRange(dynamic.offset, dynamic.filesz, 'PT_DYNAMIC');
    const entrySize = r.wordSize * 2;
    const neededOffsets: number[] = [];
    let strtabAddr: number | undefined;
    for (let at = dynamic.offset; at + entrySize <= dynamic.offset + dynamic.filesz; at += entrySize) {
      const tag = r.word(at);
      if (tag === DT_NULL) break;
      if (tag === DT_NEEDED) neededOffsets.push(r.word(at + r.wordSize));
      if (tag === DT_STRTAB) strtabAddr = r.word(at + r.wordSize);
    }
    if (neededOffsets.length > 0) {
      // DT_STRTAB is a virtual address: find the loaded segment that holds it.
      const load = segments.find(
        (s) =>
          s.type === PT_LOAD && strtabAddr !== undefined && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + s.filesz,
      );
      for (const nameOff of neededOffsets) {
        needed.push(
          load && strtabAddr !== undefined
            ? cString(buf, load.offset + (strtabAddr - load.vaddr) + nameOff, buf.length)
            : `<DT_NEEDED at string offset ${nameOff}>`,
        );
      }
    }
  }

  const sections: ElfSection[] = [];
  if (shoff > 0 && shnum > 0 && shstrndx < shnum) {
    const section = (i: number) => {
      const at = shoff + i * shentsize;
      inRange(at, shentsize, 'section header');
      return bits === 64
        ? { name: r.u32(at), offset: r.word(at + 24), size: r.word(at + 32) }
        : { name: r.u32(at), offset: r.word(at + 16), size: r.word(at + 20) };
    };
    const names = section(shstrndx);
    for (let i = 0; i < shnum; i++) {
      const { name, offset, size } = section(i);
      sections.push({ name: cString(buf, names.offset + name, buf.length), offset, size });
    }
  }

  return {
    bits,
    endianness,
    type,
    machine,
    ...(interpreter !== undefined ? { interpreter } : {}),
    needed,
    sectionNames: sections.map((s) => s.name),
    sections,
  };
}

export function machineName(machine: number): string {
  if (machine === EM_X86_64) return 'x86-64';
  if (machine === EM_AARCH64) return 'aarch64';
  return `machine ${machine}`;
}

function reader(buf: Buffer, bits: 32 | 64, endianness: 'little' | 'big'): Reader {
  const le = endianness === 'little';
  const u16 = (off: number) => (le ? buf.readUInt16LE(off) : buf.readUInt16BE(off));
  const u32 = (off: number) => (le ? buf.readUInt32LE(off) : buf.readUInt32BE(off));
  const u64 = (off: number) => Number(le ? buf.readBigUInt64LE(off) : buf.readBigUInt64BE(off));
  return { u16, u32, word: bits === 64 ? u64 : u32, wordSize: bits === 64 ? 8 : 4 };
}

function cString(buf: Buffer, start: number, limit: number): string {
  if (start >= buf.length) throw new ElfError(`truncated ELF: string at ${start} beyond ${buf.length} bytes`);
  let end = start;
  while (end < limit && end < buf.length && buf[end] !== 0) end++;
  return buf.toString('latin1', start, end);
}

import { isElf, parseElf } from '../readiness/elf';
import type { GoModule } from './types';

/** What the Go linker writes into every binary (Go 1.18 and later), as `go version -m` prints it. */
export interface GoBuildInfo {
  goVersion: string;
  packagePath?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
/** Flag bit: version and module info follow the header inline (Go 1.18+), not as pointers. */
const FLAGS_VERSION_INLINE = 0x2;
/** runtime/debug wraps the module text in 16-byte sentinels. */
const SENTINEL = 16;

/**
 * The build info of a Go ELF binary, or undefined when it is not one (or predates Go 1.18).
 * The `.go.buildinfo` section holds it; stripped binaries without section headers are searched
 * for the magic at 16-byte alignment, as Go's own debug/buildinfo does.
 */
export function readGoBuildInfo(file: Buffer): GoBuildInfo | undefined {
  if (!isElf(file)) return undefined;
  let start: number | undefined;
  try {
    const section = parseElf(file).sections.find((s) => s.name === '.go.buildinfo');
    if (section && section.offset + MAGIC.length <= file.length) start = section.offset;
  } catch {
    // A damaged header: fall back to the search below.
  }
  if (start === undefined || !file.subarray(start, start + MAGIC.length).equals(MAGIC)) start = findMagic(file);
  if (start === undefined) return undefined;
  return parseBuildInfoBlob(file.subarray(start));
}

function findMagic(file: Buffer): number | undefined {
  for (let at = file.indexOf(MAGIC); at >= 0; at = file.indexOf(MAGIC, at + 1)) if (at % 16 === 0) return at;
  return undefined;
}

/** The blob at the start of `.go.buildinfo`: header, then the Go version and module text as varint strings. */
export function parseBuildInfoBlob(blob: Buffer): GoBuildInfo | undefined {
  if (blob.length < HEADER_SIZE || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const flags = blob[15];
  if ((flags & FLAGS_VERSION_INLINE) === 0) return undefined;
  const version = readVarString(blob, HEADER_SIZE);
  if (!version) return undefined;
  const mod = readVarString(blob, version.next);
  if (!mod) return undefined;
  let text = mod.value;
  if (text.length >= 2 * SENTINEL + 1 && text[text.length - SENTINEL - 1] === '\n')
    text = text.slice(SENTINEL, text.length - SENTINEL);
  return { goVersion: version.value, ...parseModInfo(text) };
}

/** `go version -m`'s text: `path`, `mod`, `dep`, `=>` (replacement of the line before) and `build` lines. */
export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const info: Omit<GoBuildInfo, 'goVersion'> = { deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'path') info.packagePath = fields[0];
    else if (kind === 'mod' || kind === 'dep') {
      const module: GoModule = {
        path: fields[0] ?? '',
        version: fields[1] ?? '',
        ...(fields[2] ? { sum: fields[2] } : {}),
      };
      if (!module.path) continue;
      if (kind === 'mod') info.main = module;
      else info.deps.push(module);
      last = module;
    } else if (kind === '=>' && last) {
      last.replace = { path: fields[0] ?? '', version: fields[1] ?? '', ...(fields[2] ? { sum: fields[2] } : {}) };
    } else if (kind === 'build') {
      const setting = fields.join('\t');
      const eq = setting.indexOf('=');
      if (eq > 0) info.settings[setting.slice(0, eq)] = unquote(setting.slice(eq + 1));
    }
  }
  return info;
}

function readVarString(buf: Buffer, at: number): { value: string; next: number } | undefined {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    if (pos >= buf.length || shift > 28) return undefined;
    const byte = buf[pos++];
    length |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  if (length < 0 || pos + length > buf.length) return undefined;
  return { value: buf.toString('utf8', pos, pos + length), next: pos + length };
}

/** Settings with spaces or quotes are written as Go-quoted strings. */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value;
  }
}

/** Writes a blob as the Go linker lays it out: for tests and fixtures. */
export function encodeBuildInfoBlob(goVersion: string, modInfo: string): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header);
  header[14] = 8;
  header[15] = FLAGS_VERSION_INLINE;
  const sentinel = '0'.repeat(SENTINEL);
  return Buffer.concat([header, varString(goVersion), varString(`${sentinel}${modInfo}\n${sentinel}`)]);
}

function varString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const prefix: number[] = [];
  let n = bytes.length;
  do {
    prefix.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from(prefix), bytes]);
}

// Trees as tar streams, the way the engine's archive API and `tar -C / -cf -` hand them over.
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  mode?: number;
  uid?: number;
  gid?: number;
  content?: string;
  linkname?: string;
}

export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const header = {
      name: e.name,
      type: e.type ?? 'file',
      mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    };
    if ((e.type ?? 'file') === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const streamOf = (bytes: Buffer) => Readable.from([bytes]);

/** A small GOROOT as an archive of /usr/local/go names it. */
export const GOROOT_ENTRIES: TarEntry[] = [
  { name: 'go/', type: 'directory' },
  { name: 'go/bin/', type: 'directory' },
  { name: 'go/bin/go', mode: 0o755, content: 'the go binary' },
  { name: 'go/bin/gofmt', mode: 0o755, content: 'gofmt' },
  { name: 'go/go.env', content: 'GOPROXY=https://proxy.golang.org,direct\n' },
  { name: 'go/src/', type: 'directory' },
  { name: 'go/src/fmt/', type: 'directory' },
  { name: 'go/src/fmt/print.go', content: 'package fmt\n' },
];

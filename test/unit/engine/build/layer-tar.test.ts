import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { layerTar } from '../../../../bake/engine/build/layer-tar';

const entries = [
  { path: 'usr/local/go/go.env', mode: 0o644, mtime: new Date('2001-02-03T04:05:06Z'), content: Buffer.from('A=1\n') },
  { path: 'etc', mode: 0o755, mtime: new Date('2000-01-01T00:00:00Z') },
  { path: 'etc/profile.d/x.sh', mode: 0o600, mtime: new Date('2002-01-01T00:00:00Z'), content: Buffer.from('') },
];

async function headers(tar: Buffer) {
  const out: {
    name: string;
    type: string;
    mode: number;
    uid: number;
    gid: number;
    uname: string;
    mtime: number;
    body: string;
  }[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({
          name: h.name,
          type: h.type ?? '',
          mode: h.mode ?? -1,
          uid: h.uid ?? -1,
          gid: h.gid ?? -1,
          uname: h.uname ?? '',
          mtime: h.mtime?.getTime() ?? -1,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from([tar]).pipe(ex);
  await done;
  return out;
}

describe('layerTar', () => {
  it('gives the same bytes for the same entries in any order', async () => {
    const a = await layerTar(entries);
    const b = await layerTar([...entries].reverse());
    expect(a.equals(b)).toBe(true);
  });

  it('writes root-owned entries in path order with their modes, times and contents', async () => {
    expect(await headers(await layerTar(entries))).toEqual([
      {
        name: 'etc',
        type: 'directory',
        mode: 0o755,
        uid: 0,
        gid: 0,
        uname: '',
        mtime: Date.parse('2000-01-01T00:00:00Z'),
        body: '',
      },
      {
        name: 'etc/profile.d/x.sh',
        type: 'file',
        mode: 0o600,
        uid: 0,
        gid: 0,
        uname: '',
        mtime: Date.parse('2002-01-01T00:00:00Z'),
        body: '',
      },
      {
        name: 'usr/local/go/go.env',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        uname: '',
        mtime: Date.parse('2001-02-03T04:05:06Z'),
        body: 'A=1\n',
      },
    ]);
  });
});

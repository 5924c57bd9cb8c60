import { layerTar } from '../../../../bake/engine/build/layer-tar';
import { tarEntries } from '../../tar-entries';

const entries = [
  { path: 'usr/local/go/go.env', mode: 0o644, mtime: new Date('2001-02-03T04:05:06Z'), content: Buffer.from('A=1\n') },
  { path: 'etc', mode: 0o755, mtime: new Date('2000-01-01T00:00:00Z') },
  { path: 'etc/profile.d/x.sh', mode: 0o600, mtime: new Date('2002-01-01T00:00:00Z'), content: Buffer.from('') },
];

describe('layerTar', () => {
  it('gives the same bytes for the same entries in any order', async () => {
    const a = await layerTar(entries);
    const b = await layerTar([...entries].reverse());
    expect(a.equals(b)).toBe(true);
  });

  it('writes root-owned entries in path order with their modes, times and contents', async () => {
    expect(await tarEntries(await layerTar(entries))).toEqual([
      {
        name: 'etc',
        type: 'directory',
        mode: 0o755,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
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
        gname: '',
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
        gname: '',
        mtime: Date.parse('2001-02-03T04:05:06Z'),
        body: 'A=1\n',
      },
    ]);
  });
});

import { BakeError } from '../../../../bake/common/errors';
import {
  findLinuxArchive,
  linuxArchiveName,
  linuxArchivesFor,
  parseReleaseIndex,
} from '../../../../bake/golang/official/release-index';

const SHA = 'a'.repeat(64);
const official = [
  {
    version: 'go1.22.12',
    stable: true,
    files: [
      {
        filename: 'go1.22.12.src.tar.gz',
        os: '',
        arch: '',
        version: 'go1.22.12',
        sha256: SHA,
        size: 10,
        kind: 'source',
      },
      {
        filename: 'go1.22.12.linux-amd64.tar.gz',
        os: 'linux',
        arch: 'amd64',
        version: 'go1.22.12',
        sha256: SHA,
        size: 20,
        kind: 'archive',
      },
      {
        filename: 'go1.22.12.linux-arm64.tar.gz',
        os: 'linux',
        arch: 'arm64',
        version: 'go1.22.12',
        sha256: SHA,
        size: 30,
        kind: 'archive',
      },
      {
        filename: 'go1.22.12.darwin-arm64.pkg',
        os: 'darwin',
        arch: 'arm64',
        version: 'go1.22.12',
        sha256: SHA,
        size: 40,
        kind: 'installer',
      },
      {
        filename: 'go1.22.12.future',
        os: 'linux',
        arch: 'arm64',
        version: 'go1.22.12',
        sha256: SHA,
        size: 1,
        kind: 'sbom',
        extra: true,
      },
    ],
  },
  { version: 'go1.23rc1', stable: false, files: [] },
];

describe('parseReleaseIndex', () => {
  it('accepts the official format, dropping file kinds it does not know', () => {
    const index = parseReleaseIndex(JSON.stringify(official), 'https://go.dev/dl/?mode=json&include=all');
    expect(index.map((r) => r.version)).toEqual(['go1.22.12', 'go1.23rc1']);
    expect(index[0].files.map((f) => f.kind)).toEqual(['source', 'archive', 'archive', 'installer']);
  });

  it.each([
    ['not JSON', '{"version":', /malformed Go release index from MIRROR\/index.json: not JSON/],
    ['not a list', '{"version":"go1.22"}', /from MIRROR\/index.json: \(top level\): /],
    [
      'bad sha256',
      JSON.stringify([{ ...official[0], files: [{ ...official[0].files[1], sha256: 'xyz' }] }]),
      /0\.files\.0\.sha256: a lower-case hex sha256/,
    ],
    [
      'negative size',
      JSON.stringify([{ ...official[0], files: [{ ...official[0].files[1], size: -1 }] }]),
      /0\.files\.0\.size/,
    ],
    ['missing stable', JSON.stringify([{ version: 'go1.22.12', files: [] }]), /0\.stable/],
    [
      'a path as file name',
      JSON.stringify([{ ...official[0], files: [{ ...official[0].files[1], filename: '../x.tar.gz' }] }]),
      /0\.files\.0\.filename: a plain file name/,
    ],
  ])('rejects %s, naming the source', (_name, text, message) => {
    expect(() => parseReleaseIndex(text, 'MIRROR/index.json')).toThrow(BakeError);
    expect(() => parseReleaseIndex(text, 'MIRROR/index.json')).toThrow(message);
  });
});

describe('linux archive lookup', () => {
  const index = parseReleaseIndex(official, 'test');
  it('finds the official tarball name for an arch', () => {
    expect(linuxArchiveName('go1.22.12', 'arm64')).toBe('go1.22.12.linux-arm64.tar.gz');
    expect(findLinuxArchive(index[0], 'arm64')?.size).toBe(30);
    expect(findLinuxArchive(index[0], 'amd64')?.size).toBe(20);
    expect(findLinuxArchive(index[1], 'amd64')).toBeUndefined();
  });
  it('reduces an index to the releases with that archive', () => {
    expect(linuxArchivesFor(index, 'arm64')).toEqual([
      { version: 'go1.22.12', stable: true, files: [index[0].files[2]] },
    ]);
  });
});

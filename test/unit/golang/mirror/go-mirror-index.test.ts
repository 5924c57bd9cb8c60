import { mergeMirrorIndex, renderMirrorIndex } from '../../../../bake/golang/mirror/go-mirror-index';
import { parseReleaseIndex } from '../../../../bake/golang/official/release-index';
import type { GoDistribution, GoReleaseIndex } from '../../../../bake/golang/types';

const sha = (c: string) => c.repeat(64);

const dist = (version: string, arch: 'amd64' | 'arm64', s: string): GoDistribution => ({
  version,
  arch,
  source: 'debian',
  filename: `go${version}.linux-${arch}.tar.gz`,
  sha256: sha(s),
  size: 100,
  origin: 'test',
  verifiedBy: [],
});

const existing: GoReleaseIndex = [
  {
    version: 'go1.21.13',
    stable: true,
    files: [
      {
        filename: 'go1.21.13.linux-arm64.tar.gz',
        os: 'linux',
        arch: 'arm64',
        version: 'go1.21.13',
        sha256: sha('1'),
        size: 7,
        kind: 'archive',
      },
    ],
  },
  {
    version: 'go1.22.12',
    stable: true,
    files: [
      {
        filename: 'go1.22.12.linux-amd64.tar.gz',
        os: 'linux',
        arch: 'amd64',
        version: 'go1.22.12',
        sha256: sha('2'),
        size: 8,
        kind: 'archive',
      },
    ],
  },
];

test(
  'merging keeps other releases, replaces a file of the same name, adds new releases; ' + 'newest first, files by name',
  () => {
    const merged = mergeMirrorIndex(existing, [
      dist('1.22.12', 'arm64', 'a'),
      dist('1.22.12', 'amd64', 'b'),
      dist('1.23.5', 'amd64', 'c'),
    ]);
    expect(merged.map((r) => [r.version, r.files.map((f) => `${f.filename}:${f.sha256[0]}`)])).toEqual([
      ['go1.23.5', ['go1.23.5.linux-amd64.tar.gz:c']],
      ['go1.22.12', ['go1.22.12.linux-amd64.tar.gz:b', 'go1.22.12.linux-arm64.tar.gz:a']],
      ['go1.21.13', ['go1.21.13.linux-arm64.tar.gz:1']],
    ]);
    expect(merged[0]).toEqual({
      version: 'go1.23.5',
      stable: true,
      files: [
        {
          filename: 'go1.23.5.linux-amd64.tar.gz',
          os: 'linux',
          arch: 'amd64',
          version: 'go1.23.5',
          sha256: sha('c'),
          size: 100,
          kind: 'archive',
        },
      ],
    });
  },
);

test('versions sort as versions (1.9 < 1.10 < 1.22.2 < 1.22.10), whatever the input order', () => {
  const merged = mergeMirrorIndex(
    [],
    [
      dist('1.9.7', 'amd64', '1'),
      dist('1.22.10', 'amd64', '2'),
      dist('1.10.8', 'amd64', '3'),
      dist('1.22.2', 'amd64', '4'),
    ],
  );
  expect(merged.map((r) => r.version)).toEqual(['go1.22.10', 'go1.22.2', 'go1.10.8', 'go1.9.7']);
  const reversed = mergeMirrorIndex(
    [],
    [
      dist('1.22.2', 'amd64', '4'),
      dist('1.10.8', 'amd64', '3'),
      dist('1.22.10', 'amd64', '2'),
      dist('1.9.7', 'amd64', '1'),
    ],
  );
  expect(renderMirrorIndex(reversed)).toBe(renderMirrorIndex(merged));
});

test(
  'rendered as go.dev serves it: ' + 'one-space indentation, its field order, a final newline; and it parses back',
  () => {
    const text = renderMirrorIndex(mergeMirrorIndex([], [dist('1.22.12', 'arm64', 'a')]));
    expect(text).toBe(`[
 {
  "version": "go1.22.12",
  "stable": true,
  "files": [
   {
    "filename": "go1.22.12.linux-arm64.tar.gz",
    "os": "linux",
    "arch": "arm64",
    "version": "go1.22.12",
    "sha256": "${sha('a')}",
    "size": 100,
    "kind": "archive"
   }
  ]
 }
]
`);
    expect(parseReleaseIndex(text, 'test')).toEqual(mergeMirrorIndex([], [dist('1.22.12', 'arm64', 'a')]));
  },
);

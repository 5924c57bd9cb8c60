import { formatResults, resultsLine } from '../../../bake/cli/build-results';
import type { ImageResult, TargetResult } from '../../../bake/pipeline/types';
import type { Report } from '../../../bake/readiness/types';

const image = (extra: Partial<ImageResult>): ImageResult => ({
  kind: 'toolchain',
  status: 'vetted',
  imageId: 'sha256:0123456789abcdef0123456789',
  tags: ['bake/debian12-go:1.27.4-20261206-6ebc2d33b91c-amd64', 'bake/debian12-go:1.27-amd64'],
  reportDigest: 'sha256:r',
  build: { durationMs: 20_000, steps: 10, cachedSteps: 6, contextBytes: 18_432 },
  checkMs: 4_500,
  ...extra,
});
const target = (extra: Partial<TargetResult>): TargetResult => ({
  target: 'debian12-amd64',
  status: 'vetted',
  go: { version: '1.27.4', source: 'debian' },
  images: [],
  durationMs: 30_000,
  ...extra,
});
const failingReport: Report = {
  schema: 'bake.report/v1',
  artifact: { kind: 'toolchain', ref: 'x', id: 'sha256:1', platform: 'linux/amd64' },
  target: 'debian12-amd64',
  passed: false,
  results: [
    { id: 'go.env', description: 'd', status: 'fail', reason: 'GOSUMDB is "off"', durationMs: 100, evidence: [] },
  ],
  skipped: [],
  startedAt: '2026-12-06T00:00:00Z',
  durationMs: 100,
};

describe('formatResults', () => {
  test('one row per image: its result, Go, build and check time, and its immutable tag', () => {
    const text = formatResults([
      target({
        images: [
          image({ reportFiles: { json: '/r/debian12-amd64/toolchain/report.json', junit: '/r/j.xml' } }),
          image({ kind: 'runtime', status: 'up-to-date', tags: [], build: undefined, checkMs: undefined }),
        ],
      }),
    ]);
    expect(text.split('\n')).toEqual([
      'TARGET          KIND       RESULT      GO               TIME   TAG OR REASON',
      'debian12-amd64  toolchain  vetted      1.27.4 (debian)  24.5s  ' +
        'bake/debian12-go:1.27.4-20261206-6ebc2d33b91c-amd64',
      'debian12-amd64  runtime    up-to-date  1.27.4 (debian)  0.0s   sha256:0123456789ab',
      '',
      'readiness reports (JSON; JUnit XML beside each):',
      '  debian12-amd64/toolchain: /r/debian12-amd64/toolchain/report.json',
    ]);
  });

  test('a target without images: its status and the first line of why', () => {
    const text = formatResults([
      target({ target: 'rocky9-arm64', status: 'unavailable', go: undefined, message: 'base cannot be pulled\nmore' }),
    ]);
    expect(text.split('\n')[1]).toBe('rocky9-arm64  -     unavailable  -   30.0s  base cannot be pulled');
  });

  test('a rejected image points at the tag it is kept under, and its failing checks follow the table', () => {
    const text = formatResults([
      target({
        status: 'rejected',
        images: [
          image({ status: 'rejected', tags: ['bake/debian12-go:bake-rejected-abc-amd64'], report: failingReport }),
        ],
      }),
    ]);
    expect(text).toContain('rejected  1.27.4 (debian)  24.5s  kept as bake/debian12-go:bake-rejected-abc-amd64');
    expect(text).toMatch(/\n\n.*1 of 1 checks failed.*\nCHECK +RESULT +TIME +REASON\ngo\.env +FAIL /);
  });

  test('a failed or interrupted target with images gets a row saying so', () => {
    const text = formatResults([target({ status: 'interrupted', message: 'interrupted', images: [image({})] })]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.split('\n')[2]).toMatch(/^debian12-amd64 +- +interrupted +1\.27\.4 \(debian\) +30\.0s +interrupted$/);
  });
});

describe('resultsLine', () => {
  test('counts per outcome, then why each target that did not pass did not', () => {
    expect(resultsLine([target({})])).toBe('1 target: 1 vetted');
    expect(
      resultsLine([
        target({}),
        target({ target: 'rocky9-amd64', status: 'unavailable', message: 'no registry\nreachable' }),
        target({ target: 'rocky9-arm64', status: 'unavailable', message: 'no registry' }),
      ]),
    ).toBe(
      '3 targets: 1 vetted, 2 unavailable\n' +
        '  rocky9-amd64 unavailable: no registry\n' +
        '  rocky9-arm64 unavailable: no registry',
    );
  });
});

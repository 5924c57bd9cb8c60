import { nightlyJunit, nightlyMarkdown, nightlySummary, outcomeOf } from '../../../bake/nightly/nightly-summary';
import type { ImageResult, TargetResult, TargetStatus } from '../../../bake/pipeline/types';
import { readJUnit } from '../common/junit-reader';

const image = (kind: 'toolchain' | 'runtime', ref: string): ImageResult => ({
  kind,
  status: 'vetted',
  imageId: `sha256:${'d'.repeat(64)}`,
  tags: [ref],
  immutableRef: ref,
  reportDigest: `sha256:${'f'.repeat(64)}`,
});

function result(target: string, status: TargetStatus, extra: Partial<TargetResult> = {}): TargetResult {
  return { target, status, images: [], durationMs: 1500, ...extra };
}

const results: TargetResult[] = [
  result('debian12-amd64', 'vetted', {
    go: { version: '1.22.12', source: 'official' },
    images: [
      image('toolchain', 'r/debian12-go:1.22.12-20260115-abc-amd64'),
      image('runtime', 'r/debian12-runtime:1.22.12-20260115-abc-amd64'),
    ],
    ami: { status: 'vetted', amiId: 'ami-123' },
  }),
  result('debian12-arm64', 'skipped', {
    message: 'already vetted in the catalog',
    ami: { status: 'skipped', amiId: 'ami-456' },
  }),
  result('rocky9-amd64', 'rejected', {
    message: 'go.env: GOPROXY is "direct" | expected <proxy> & "fallback"\nsecond line',
    durationMs: 61_234,
  }),
  result('rocky9-arm64', 'unavailable', { message: 'base image <none> for arm64 & "x"' }),
  result('ubuntu2404-amd64', 'up-to-date', {
    images: [image('toolchain', 'r/ubuntu2404-go:1.23.5-20260114-def-amd64')],
  }),
  result('ubuntu2404-arm64', 'interrupted', { message: 'interrupted' }),
];
const summary = nightlySummary(results, {
  startedAt: new Date('2026-01-15T02:00:00Z'),
  durationMs: 125_400,
  location: '127.0.0.1:5000/golden/bake-catalog',
  shard: '2/3',
});

describe('outcomeOf', () => {
  test.each([
    ['vetted', 'built'],
    ['up-to-date', 'built'],
    ['skipped', 'skipped'],
    ['unavailable', 'unavailable'],
    ['rejected', 'failed'],
    ['failed', 'failed'],
    ['interrupted', 'failed'],
  ] as const)('%s is %s', (status, outcome) => {
    expect(outcomeOf(result('t', status))).toBe(outcome);
  });
});

describe('nightlySummary', () => {
  test('counts each outcome and keeps every target with its outcome', () => {
    expect(summary).toMatchObject({
      schema: 'bake.nightly/v1',
      startedAt: '2026-01-15T02:00:00.000Z',
      durationMs: 125_400,
      location: '127.0.0.1:5000/golden/bake-catalog',
      shard: '2/3',
      counts: { built: 2, skipped: 1, failed: 2, unavailable: 1 },
    });
    expect(summary.targets.map((t) => [t.target, t.outcome])).toEqual([
      ['debian12-amd64', 'built'],
      ['debian12-arm64', 'skipped'],
      ['rocky9-amd64', 'failed'],
      ['rocky9-arm64', 'unavailable'],
      ['ubuntu2404-amd64', 'built'],
      ['ubuntu2404-arm64', 'failed'],
    ]);
  });

  test('no shard, no shard field', () => {
    expect(nightlySummary([], { startedAt: new Date(0), durationMs: 0, location: 'x' })).not.toHaveProperty('shard');
  });
});

describe('nightlyMarkdown', () => {
  const md = nightlyMarkdown(summary);
  const row = (target: string) => md.split('\n').find((l) => l.startsWith(`| ${target} |`));

  test('a heading with the shard, and the counts line', () => {
    expect(md.split('\n').slice(0, 3)).toEqual([
      '## bake nightly (shard 2/3)',
      '',
      '2 built, 1 skipped, 2 failed, 1 unavailable in 125.4 s; catalog: `127.0.0.1:5000/golden/bake-catalog`',
    ]);
    expect(md).toContain('| target | result | Go | time | images or reason | why |\n|---|---|---|---|---|---|');
  });

  test('a built target lists its immutable tags and its AMI', () => {
    expect(row('debian12-amd64')).toBe(
      '| debian12-amd64 | ✅ built | 1.22.12 | 1.5 s | ' +
        'toolchain: `r/debian12-go:1.22.12-20260115-abc-amd64`<br>' +
        'runtime: `r/debian12-runtime:1.22.12-20260115-abc-amd64`<br>' +
        'ami: `ami-123` | - |',
    );
  });

  test('a skipped target with an AMI already vetted says so', () => {
    expect(row('debian12-arm64')).toBe(
      '| debian12-arm64 | ⏭️ skipped | - | 1.5 s | ami: `ami-456` (already vetted) | - |',
    );
  });

  test(
    'a failed target shows the first line of its reason, ' +
      'with | and <> escaped so the table holds and nothing hides',
    () => {
      expect(row('rocky9-amd64')).toBe(
        '| rocky9-amd64 | ❌ failed | - | 61.2 s | ' +
          'go.env: GOPROXY is "direct" \\| expected &lt;proxy&gt; & "fallback" | - |',
      );
      expect(row('rocky9-arm64')).toBe(
        '| rocky9-arm64 | ⚪ unavailable | - | 1.5 s | base image &lt;none&gt; for arm64 & "x" | - |',
      );
    },
  );

  test('one row per target', () => {
    expect(md.split('\n').filter((l) => /^\| [a-z0-9]+-(amd64|arm64) \|/.test(l))).toHaveLength(results.length);
  });
});

describe('nightlyJunit', () => {
  const xml = nightlyJunit(summary);
  const doc = readJUnit(xml);
  const testcase = (target: string) => doc.suites[0].cases.find((c) => c.name === target);

  test('totals: tests, failures for failed targets, skipped for unavailable ones', () => {
    expect(doc.root).toEqual({ name: 'bake nightly', tests: '6', failures: '2', errors: '0', skipped: '1' });
    // The run's time stands on its suite: junit-report-builder has no time for <testsuites>.
    expect(doc.suites.map((s) => s.attributes)).toEqual([
      {
        name: 'bake nightly 2/3',
        time: '125.4',
        timestamp: '2026-01-15T02:00:00.000Z',
        tests: '6',
        failures: '2',
        errors: '0',
        skipped: '1',
      },
    ]);
    expect(doc.suites[0].cases.map((c) => c.name)).toEqual(results.map((r) => r.target));
    expect(doc.suites[0].cases.filter((c) => c.failure)).toHaveLength(2);
    expect(doc.suites[0].cases.filter((c) => c.skipped)).toHaveLength(1);
  });

  test('a failed target is a failure with its status as type, its first line as message, all of it as text', () => {
    expect(testcase('rocky9-amd64')).toEqual({
      name: 'rocky9-amd64',
      attributes: { name: 'rocky9-amd64', classname: 'bake.nightly', time: '61.234' },
      failure: {
        attributes: { message: 'go.env: GOPROXY is "direct" | expected <proxy> & "fallback"', type: 'rejected' },
        text: 'go.env: GOPROXY is "direct" | expected <proxy> & "fallback"\nsecond line',
      },
    });
    expect(testcase('ubuntu2404-arm64')?.failure).toEqual({
      attributes: { message: 'interrupted', type: 'interrupted' },
      text: 'interrupted',
    });
  });

  test('an unavailable target is skipped with its reason', () => {
    expect(testcase('rocky9-arm64')).toMatchObject({ skipped: {}, systemOut: 'base image <none> for arm64 & "x"' });
    expect(testcase('rocky9-arm64')?.failure).toBeUndefined();
  });

  test('built and skipped targets pass, saying what they produced', () => {
    expect(testcase('debian12-amd64')?.systemOut).toBe(
      'built: r/debian12-go:1.22.12-20260115-abc-amd64, r/debian12-runtime:1.22.12-20260115-abc-amd64',
    );
    expect(testcase('debian12-arm64')?.systemOut).toBe('skipped: already vetted');
    expect(testcase('debian12-amd64')).not.toHaveProperty('failure');
    expect(testcase('debian12-amd64')).not.toHaveProperty('skipped');
  });

  test('no raw markup from messages reaches the document', () => {
    const message = '</failure></testcase><injected/>';
    const evil = readJUnit(
      nightlyJunit(
        nightlySummary([result('t-amd64', 'failed', { message })], {
          startedAt: new Date(0),
          durationMs: 0,
          location: 'x',
        }),
      ),
    );
    expect(evil.markup).not.toContain('<injected/>');
    expect(evil.markup.match(/<\/testcase>/g)).toHaveLength(1);
    expect(evil.suites[0].cases[0].failure).toEqual({ attributes: { message, type: 'failed' }, text: message });
  });
});

describe('why a target was rebuilt', () => {
  const why = nightlySummary(
    [
      result('debian12-amd64', 'vetted', {
        changes: ['Go 1.27.3 → 1.27.4', 'openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1'],
      }),
    ],
    { startedAt: new Date(0), durationMs: 1, location: 'x' },
  );

  test('Markdown: every change in the why column', () => {
    expect(nightlyMarkdown(why)).toContain('| Go 1.27.3 → 1.27.4<br>openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1 |');
  });

  test('JSON keeps the changes; JUnit prints them in system-out', () => {
    expect(why.targets[0].changes).toEqual(['Go 1.27.3 → 1.27.4', 'openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1']);
    expect(readJUnit(nightlyJunit(why)).suites[0].cases[0].systemOut).toBe(
      'built: already vetted\nwhy: Go 1.27.3 → 1.27.4; openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1',
    );
  });
});

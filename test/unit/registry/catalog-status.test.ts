import { catalogStatus, signatureState, withOutdated } from '../../../bake/registry/catalog-status';
import { renderStatusSite } from '../../../bake/registry/status-site';
import type { Report } from '../../../bake/readiness/types';
import { catalogAmi, catalogImage } from './catalog-fixtures';

const NOW = new Date('2026-01-20T00:00:00.000Z');
const revoked = {
  at: '2026-01-10T00:00:00.000Z',
  by: 'alice@ci',
  reason: 'GOPROXY <script>alert(1)</script> & "quotes"',
};
const arm = (n: number) => catalogImage(n, { target: 'debian12-arm64', arch: 'arm64' });

const records = {
  images: [
    catalogImage(1),
    { ...catalogImage(3), revoked },
    catalogImage(2, { kind: 'runtime', repository: '127.0.0.1:5000/golden/debian12-runtime' }),
    { ...arm(4), revoked },
    catalogImage(5, {
      target: 'debian13-amd64-go1.26',
      goVersion: '1.26.11',
      manifestDigest: undefined,
      repository: 'bake/debian13-go',
      tag: 'local',
    }),
  ],
  amis: [catalogAmi(6), { ...catalogAmi(7), revoked }],
};

test('one row per target, kind and Go line: the newest vetted image not revoked, and the revoked ones after it', () => {
  const status = catalogStatus(records, 'host/golden', NOW);
  expect(
    status.rows.map((r) => [
      r.target,
      r.kind,
      r.goLine,
      r.state,
      r.current?.digest ?? '-',
      r.revoked.map((x) => x.digest),
    ]),
  ).toEqual([
    ['debian12-amd64', 'ami', '1.22', 'vetted', 'ami-6', ['ami-7']],
    ['debian12-amd64', 'runtime', '1.22', 'vetted', catalogImage(2).manifestDigest, []],
    ['debian12-amd64', 'toolchain', '1.22', 'vetted', catalogImage(1).manifestDigest, [catalogImage(3).manifestDigest]],
    ['debian12-arm64', 'toolchain', '1.22', 'revoked', '-', [arm(4).manifestDigest]],
    ['debian13-amd64-go1.26', 'toolchain', '1.26', 'vetted', catalogImage(5).imageId, []],
  ]);
  const toolchain = status.rows[2].current!;
  expect(toolchain).toMatchObject({
    ageDays: 19,
    readiness: '9/9 passed',
    from: `FROM ${catalogImage(1).repository}@${catalogImage(1).manifestDigest}`,
    baseline: false,
  });
  expect(status.rows[4].current!.from).toBe('FROM bake/debian13-go:local');
  expect(status.rows[2].revoked[0].revocation).toEqual(revoked);
});

test('outdated rows are marked only where bake outdated found them behind', () => {
  const status = withOutdated(catalogStatus(records, 'x', NOW), [
    { image: `${catalogImage(1).repository}:${catalogImage(1).tag}` },
  ]);
  expect(status.rows.map((r) => [r.kind, r.state, r.outdated])).toEqual([
    ['ami', 'vetted', undefined],
    ['runtime', 'vetted', false],
    ['toolchain', 'outdated', true],
    ['toolchain', 'revoked', undefined],
    ['toolchain', 'vetted', false],
  ]);
});

test('signature state reads whatever signing recorded, and says unknown when it recorded nothing', () => {
  expect(signatureState(catalogImage(1))).toBe('unsigned/unknown');
  expect(signatureState({ signature: { state: 'signed', keyId: 'cosign:abc' } })).toBe('signed (cosign:abc)');
  expect(signatureState({ signature: { signed: false } })).toBe('unsigned');
  expect(signatureState({ signature: 'yes' })).toBe('unsigned/unknown');
});

describe('the status page', () => {
  const report: Report = {
    schema: 'bake.report/v1',
    artifact: { kind: 'toolchain', ref: 'x', id: 'y', platform: 'linux/amd64' },
    target: 'debian12-amd64',
    passed: true,
    results: [
      { id: 'go.env', description: 'd', status: 'pass', reason: 'GOPROXY <b>ok</b>', evidence: [], durationMs: 1 },
    ],
    skipped: [{ id: 'image.metadata', reason: 'skipped by the recipe' }],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
  };
  const html = renderStatusSite(
    catalogStatus(records, 'host/golden', NOW),
    new Map([[catalogImage(1).reportDigest, report]]),
  );

  test('lists every target in the table and marks each revoked image in a row of its own', () => {
    const rows = [...html.matchAll(/<tr class="(\w+)" data-target="([^"]+)" data-state="(\w+)">/g)].map((m) => [
      m[2],
      m[3],
    ]);
    expect(rows).toEqual([
      ['debian12-amd64', 'vetted'],
      ['debian12-amd64', 'revoked'],
      ['debian12-amd64', 'vetted'],
      ['debian12-amd64', 'vetted'],
      ['debian12-amd64', 'revoked'],
      ['debian12-arm64', 'revoked'],
      ['debian13-amd64-go1.26', 'vetted'],
    ]);
    expect(html.match(/>REVOKED</g)).toHaveLength(3);
  });

  test('each image has its FROM line and its readiness report, readable without a script', () => {
    expect(html).toContain(
      `<pre class="from">FROM ${catalogImage(1).repository}@${catalogImage(1).manifestDigest}</pre>`,
    );
    expect(html).toContain('<details><summary>Readiness report: 1/1 passed');
    expect(html).toContain('<td><code>image.metadata</code></td><td class="muted">skipped</td>');
  });

  test('nothing from the catalog becomes markup, and nothing is loaded from anywhere', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>ok</b>');
    expect(html).toContain('GOPROXY &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link|@import|url\(/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});

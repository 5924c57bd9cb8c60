import { driftJunit, driftMarkdown, driftText } from '../../../bake/drift/drift-formats';
import type { DriftReport } from '../../../bake/drift/types';
import { readJUnit } from '../common/junit-reader';

const report = (findings: DriftReport['findings']): DriftReport => ({
  schema: 'bake.drift/v1',
  subject: { kind: 'container', ref: 'c0ffee' },
  target: 'debian12-amd64',
  baseline: {
    kind: 'toolchain',
    capturedAt: '2026-12-01T00:00:00Z',
    source: 'STATE/catalog',
    artifact: 'bake/debian12-go:x',
  },
  drifted: findings.length > 0,
  findings,
  checkedAt: '2026-12-02T00:00:00Z',
  durationMs: 1200,
});

const finding = {
  key: 'go.env:GOPROXY',
  severity: 'policy-changed' as const,
  subject: 'GOPROXY in go env of the build user',
  expected: 'https://proxy.golang.org,direct',
  actual: 'https://evil|`x`\ninjected',
  evidence: 'container c0ffee: go env -json',
};

test('text: a headline with the baseline, then each finding with both values and how it was seen', () => {
  const text = driftText(report([finding]));
  expect(text.split('\n')[0]).toBe(
    'container c0ffee against the toolchain baseline of debian12-amd64 ' +
      '(bake/debian12-go:x, captured 2026-12-01T00:00:00Z, from STATE/catalog): 1 finding',
  );
  expect(text).toContain('policy-changed      GOPROXY in go env of the build user');
  expect(text).toContain('  actual:   https://evil|`x` injected');
  expect(driftText(report([]))).toMatch(/: no drift\n$/);
});

test('markdown: a table whose cells cannot break out of it (pipes, backticks, newlines)', () => {
  const md = driftMarkdown(report([finding]));
  const row = md.split('\n').find((l) => l.startsWith('| policy-changed'))!;
  expect(row).toBe(
    "| policy-changed | `GOPROXY in go env of the build user` | `https://proxy.golang.org,direct` | `https://evil\\|'x' injected` |",
  );
  expect(md.startsWith('## bake drift: DRIFT')).toBe(true);
});

test('values are cut at a bound, saying how long they were', () => {
  const long = driftText(report([{ ...finding, actual: 'x'.repeat(1000) }]));
  expect(long).toContain('... (1000 characters)');
  expect(long).not.toContain('x'.repeat(200));
});

test('JUnit: one failed case per finding; no drift is one passing case', () => {
  const drifted = readJUnit(driftJunit(report([finding, { ...finding, key: 'user', subject: 'the default user' }])));
  expect(drifted.suites[0].cases.map((c) => [c.name, c.failure?.attributes.type])).toEqual([
    ['policy-changed: GOPROXY in go env of the build user', 'policy-changed'],
    ['policy-changed: the default user', 'policy-changed'],
  ]);
  expect(drifted.suites[0].cases[0].failure?.text).toContain('seen by: container c0ffee: go env -json');
  expect(drifted.suites[0].properties['baseline.artifact']).toBe('bake/debian12-go:x');
  const clean = readJUnit(driftJunit(report([])));
  expect(clean.suites[0].cases.map((c) => [c.name, c.failure])).toEqual([['no drift', undefined]]);
});

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../bake/common/log';
import { defaultChecks, IMAGE_CHECKS, selectChecks } from '../../../bake/readiness/default-checks';
import { junitXml } from '../../../bake/readiness/junit-xml';
import { writeReport } from '../../../bake/readiness/report-files';
import { runSuite } from '../../../bake/readiness/suite';
import { summaryTable } from '../../../bake/readiness/summary-table';
import type { Check, Report } from '../../../bake/readiness/types';
import { readJUnit } from '../common/junit-reader';
import { expectations, FakeDriver } from './fake-driver';

const artifact: Report['artifact'] = {
  kind: 'toolchain',
  ref: 'bake/debian12-go:test',
  id: 'sha256:' + 'c'.repeat(64),
  platform: 'linux/amd64',
};
const check = (id: string, run: Check['run'], appliesTo: Check['appliesTo'] = ['toolchain']): Check => ({
  id,
  description: `${id} <desc>`,
  appliesTo,
  run,
});
const pass = check('a.pass', async () => ({
  status: 'pass',
  reason: 'fine',
  evidence: [{ command: 'true', output: 'exit 0', expected: 'exit 0' }],
}));
const fail = check('b.fail', async () => ({
  status: 'fail',
  reason: 'value <x> & "y"',
  evidence: [{ command: 'echo "<&>"', output: 'bell\u0007 ]]> done', expected: "it's" }],
}));
const throws = check('c.throws', async () => {
  throw new Error('engine went away\nwhile reading');
});
const runtimeOnly = check(
  'd.runtime',
  async () => {
    throw new Error('must not run');
  },
  ['runtime'],
);
const leaky = check('e.leak', async () => ({
  status: 'pass',
  reason: `saw ghp_${'a'.repeat(36)}`,
  evidence: [{ command: 'env', output: `TOKEN=glpat-${'b'.repeat(20)}`, expected: '' }],
}));

async function sampleReport(): Promise<Report> {
  return runSuite({
    checks: [pass, fail, throws, runtimeOnly, leaky],
    driver: new FakeDriver(),
    expect: expectations(),
    logger: silentLogger,
    artifact,
    skipped: [{ id: 'z.skipped', reason: 'skipped by recipe debian12 (checks.skip)' }],
    now: () => new Date('2025-01-02T03:04:05Z'),
  });
}

describe('runSuite', () => {
  test('runs every applicable check in order, even after failures and errors', async () => {
    const report = await sampleReport();
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['a.pass', 'pass'],
      ['b.fail', 'fail'],
      ['c.throws', 'fail'],
      ['e.leak', 'pass'],
    ]);
    expect(report.results[2]?.reason).toBe('the check could not run: engine went away while reading');
    expect(report).toMatchObject({
      schema: 'bake.report/v1',
      target: 'debian12-amd64',
      passed: false,
      startedAt: '2025-01-02T03:04:05.000Z',
      artifact,
    });
  });

  test('redacts secret-looking values from reasons and evidence', async () => {
    const leak = (await sampleReport()).results[3];
    expect(leak.reason).toBe('saw <redacted>');
    expect(leak.evidence[0]?.output).toBe('TOKEN=<redacted>');
  });

  test("three lanes run at once, each in order; results keep the checks' order", async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const lastOrderedEnded = new Promise<void>((resolve) => (release = resolve));
    const step = (id: string, reads?: Check['reads'], wait?: Promise<void>): Check => ({
      ...check(id, async () => {
        events.push(`start ${id}`);
        await wait;
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`end ${id}`);
        if (id === 'w.ordered2') release();
        return { status: 'pass', reason: id, evidence: [] };
      }),
      ...(reads ? { reads } : {}),
    });
    const report = await runSuite({
      checks: [
        step('w.ordered1'),
        step('x.image', 'image', lastOrderedEnded),
        step('y.reader', 'artifact', lastOrderedEnded),
        step('w.ordered2'),
      ],
      driver: new FakeDriver(),
      expect: expectations(),
      logger: silentLogger,
      artifact,
    });
    expect(report.results.map((r) => r.id)).toEqual(['w.ordered1', 'x.image', 'y.reader', 'w.ordered2']);
    // The readers started before the ordered lane ended and waited for it: they ran beside it.
    for (const id of ['x.image', 'y.reader']) {
      expect(events.indexOf(`start ${id}`)).toBeLessThan(events.indexOf('end w.ordered2'));
      expect(events.indexOf(`end ${id}`)).toBeGreaterThan(events.indexOf('end w.ordered2'));
    }
    // Checks that may change the artifact never overlap, and keep their order.
    expect(events.indexOf('start w.ordered2')).toBeGreaterThan(events.indexOf('end w.ordered1'));
  });

  test('bake runs its building checks in order and marks image-only just the checks that never exec', async () => {
    expect(IMAGE_CHECKS.filter((c) => !c.reads).map((c) => c.id)).toEqual(['go.build-cache', 'binary.static']);
    const imageOnly = IMAGE_CHECKS.filter((c) => c.reads === 'image');
    expect(imageOnly.map((c) => c.id).sort()).toEqual(['image.metadata', 'secrets.none']);
    for (const c of imageOnly) {
      const driver = new FakeDriver();
      driver.layers = [{ path: 'etc/hostname', content: 'x' }];
      await c.run(driver, expectations(), silentLogger);
      expect(driver.calls).toEqual([]);
    }
  });

  test('passes only when every check passes, and never with no checks', async () => {
    const base = { driver: new FakeDriver(), expect: expectations(), logger: silentLogger, artifact };
    expect((await runSuite({ ...base, checks: [pass] })).passed).toBe(true);
    expect((await runSuite({ ...base, checks: [runtimeOnly] })).passed).toBe(false);
  });
});

describe('check selection', () => {
  test('each kind has its set', () => {
    expect(defaultChecks(IMAGE_CHECKS, 'toolchain').map((c) => c.id)).toEqual([
      'go.version',
      'go.env',
      'go.login-shell',
      'goroot.integrity',
      'go.build-cache',
      'binary.static',
      'user.non-root',
      'tls.ca-bundle',
      'secrets.none',
      'image.metadata',
    ]);
    expect(defaultChecks(IMAGE_CHECKS, 'runtime').map((c) => c.id)).toEqual([
      'binary.static',
      'user.non-root',
      'tls.ca-bundle',
      'runtime.probe',
      'runtime.minimal',
      'secrets.none',
      'image.metadata',
    ]);
  });

  test('recipe skips are reported, unknown ids are a recipe error', () => {
    const { checks, skipped } = selectChecks(
      IMAGE_CHECKS,
      'toolchain',
      { extra: [], skip: ['go.login-shell'] },
      'debian12',
    );
    expect(checks.map((c) => c.id)).not.toContain('go.login-shell');
    expect(skipped).toEqual([
      { id: 'go.login-shell', reason: 'skipped by recipe debian12 (checks.skip, for good: no reason, no end date)' },
    ]);
    expect(() => selectChecks(IMAGE_CHECKS, 'toolchain', { extra: ['go.vet'], skip: [] }, 'debian12')).toThrow(
      /recipe debian12 names unknown readiness checks: go.vet/,
    );
  });
});

describe('report files', () => {
  test('JUnit XML has one testsuite per artifact, one testcase per check, text kept as text', async () => {
    const xml = junitXml(await sampleReport());
    const doc = readJUnit(xml);
    const classname = 'bake.readiness.debian12-amd64.toolchain';
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(doc.root).toEqual({ name: 'bake readiness', tests: '5', failures: '2', errors: '0', skipped: '1' });
    expect(doc.suites).toHaveLength(1);
    const [suite] = doc.suites;
    expect(suite.attributes).toMatchObject({
      name: 'debian12-amd64/toolchain',
      tests: '5',
      failures: '2',
      errors: '0',
      skipped: '1',
      timestamp: '2025-01-02T03:04:05.000Z',
    });
    expect(suite.attributes.time).toMatch(/^\d+(\.\d{1,3})?$/);
    expect(suite.properties).toEqual({
      'artifact.ref': 'bake/debian12-go:test',
      'artifact.id': artifact.id,
      'artifact.platform': 'linux/amd64',
    });
    expect(suite.cases.map((c) => c.name)).toEqual(['a.pass', 'b.fail', 'c.throws', 'e.leak', 'z.skipped']);
    const failed = suite.cases.find((c) => c.name === 'b.fail')!;
    expect(failed.attributes).toMatchObject({ classname });
    expect(failed.failure?.attributes).toEqual({ message: 'value <x> & "y"', type: 'readiness' });
    expect(failed.failure?.text).toContain('$ echo "<&>"\nbell\\x07 ]]> done\nexpected: it\'s');
    expect(failed.systemOut).toBe(failed.failure?.text);
    expect(suite.cases.filter((c) => c.failure)).toHaveLength(2);
    // junit-report-builder writes <skipped/> without a message: the reason is the case's output.
    expect(suite.cases.find((c) => c.name === 'z.skipped')).toEqual({
      name: 'z.skipped',
      attributes: { name: 'z.skipped', classname, time: '0' },
      skipped: {},
      systemOut: 'skipped by recipe debian12 (checks.skip)',
    });
    // Well-formed at the level CI parsers care about: every opened element is closed.
    for (const tag of ['testsuites', 'testsuite', 'properties', 'testcase', 'system-out', 'failure']) {
      expect((doc.markup.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length).toBe(
        (doc.markup.match(new RegExp(`</${tag}>`, 'g')) ?? []).length,
      );
    }
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  test('writeReport writes report.json and junit.xml and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bake-report-'));
    try {
      const report = await sampleReport();
      const files = await writeReport(join(dir, 'debian12-amd64', 'toolchain'), report);
      expect(readdirSync(join(dir, 'debian12-amd64', 'toolchain')).sort()).toEqual(['junit.xml', 'report.json']);
      expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(report);
      expect(readFileSync(files.junit, 'utf8')).toBe(junitXml(report));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The suite's own redaction knows token formats; a bare token as URL user and a ?token= are the writer's to blank.
  test('writeReport writes no credential a check quoted from a URL, and both files stay well-formed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bake-report-'));
    try {
      const url = check('f.url', async () => ({
        status: 'fail',
        reason: 'GOPROXY is "https://s3cret@proxy.corp/?a=1&token=s3cret"',
        evidence: [
          {
            command: 'go env GOPROXY',
            output: 'https://s3cret@proxy.corp/?a=1&token=s3cret',
            expected: 'https://proxy.golang.org',
          },
        ],
      }));
      const report = await runSuite({
        checks: [url],
        driver: new FakeDriver(),
        expect: expectations(),
        logger: silentLogger,
        artifact,
      });
      const files = await writeReport(dir, report);
      const json = readFileSync(files.json, 'utf8');
      const xml = readFileSync(files.junit, 'utf8');
      expect(`${json}${xml}`).not.toContain('s3cret');
      expect(JSON.parse(json).results[0].evidence[0].output).toBe('https://***@proxy.corp/?a=1&token=***');
      expect(xml).toContain('https://***@proxy.corp/?a=1&amp;token=***');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('summary table: check, result, one-line reason', async () => {
    const lines = summaryTable(await sampleReport()).split('\n');
    expect(lines[0]).toMatch(/^debian12-amd64 toolchain bake\/debian12-go:test: 2 of 4 checks failed \(\d+\.\d s\)$/);
    // The time column varies from run to run; everything else is fixed.
    expect(lines.slice(1).map((l) => l.replace(/ +\d+\.\ds {2}/, ' <t>  '))).toEqual([
      'CHECK      RESULT  TIME  REASON',
      'a.pass     pass <t>  fine',
      'b.fail     FAIL <t>  value <x> & "y"',
      'c.throws   FAIL <t>  the check could not run: engine went away while reading',
      'e.leak     pass <t>  saw <redacted>',
      'z.skipped  skip       -  skipped by recipe debian12 (checks.skip)',
    ]);
  });
});

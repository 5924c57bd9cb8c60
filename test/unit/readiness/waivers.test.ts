import { silentLogger } from '../../../bake/common/log';
import { selectChecks, IMAGE_CHECKS } from '../../../bake/readiness/default-checks';
import { junitXml } from '../../../bake/readiness/junit-xml';
import { runSuite } from '../../../bake/readiness/suite';
import { summaryTable } from '../../../bake/readiness/summary-table';
import type { Check, Report } from '../../../bake/readiness/types';
import { describeWaiverStatus, waiversEndingSoon, waiverStatus } from '../../../bake/recipe/waiver-dates';
import { catalogImage as catalogEntry, expiredWaiver } from '../../../bake/registry/catalog-entry';
import { readJUnit } from '../common/junit-reader';
import { expectations, FakeDriver } from './fake-driver';

const artifact: Report['artifact'] = {
  kind: 'toolchain',
  ref: 'img',
  id: 'sha256:' + 'c'.repeat(64),
  platform: 'linux/amd64',
};
const failing: Check = {
  id: 'site.git-version',
  description: 'git is at least 2.39',
  appliesTo: ['toolchain'],
  origin: 'recipe',
  run: async () => ({
    status: 'fail',
    reason: 'version 2.30.0 is not in ">=2.39.0"',
    evidence: [{ command: 'git --version', output: 'git version 2.30.0', expected: 'a semver version in ">=2.39.0"' }],
  }),
};
const passing: Check = {
  ...failing,
  id: 'site.ok',
  run: async () => ({ status: 'pass', reason: 'fine', evidence: [] }),
};
const waiver = { id: 'site.git-version', reason: 'PLAT-123: git 2.39 lands with bookworm 12.9', until: '2027-01-31' };
const suite = (today: string, checks: Check[] = [failing]) =>
  runSuite({
    checks,
    driver: new FakeDriver(),
    expect: expectations(),
    logger: silentLogger,
    artifact,
    waivers: { waivers: [waiver, { ...waiver, id: 'site.ok' }], today: new Date(`${today}T23:59:00Z`) },
    now: () => new Date(`${today}T10:00:00Z`),
  });

describe('waivers', () => {
  it('a failing check under a waiver in force still runs and is recorded as waived; the report passes', async () => {
    const report = await suite('2027-01-31');
    expect(report.passed).toBe(true);
    expect(report.results[0]).toMatchObject({
      status: 'waived',
      reason: `waived until 2027-01-31 (${waiver.reason}): version 2.30.0 is not in ">=2.39.0"`,
      waiver: { reason: waiver.reason, until: '2027-01-31', effect: 'applied' },
      origin: 'recipe',
    });
    const junit = readJUnit(junitXml(report)).suites[0].cases[0];
    expect(junit.failure).toBeUndefined();
    expect(junit.skipped).toBeDefined();
    expect(junit.systemOut).toContain('waiver (applied): until 2027-01-31');
    expect(summaryTable(report)).toContain('passed (1 failing under a waiver)');
  });

  it('past its date the waiver no longer applies: the failure gates and JUnit names the check', async () => {
    const report = await suite('2027-02-01');
    expect(report.passed).toBe(false);
    expect(report.results[0]).toMatchObject({
      status: 'fail',
      reason: 'version 2.30.0 is not in ">=2.39.0" (its waiver expired after 2027-01-31)',
      waiver: { effect: 'expired' },
    });
    const junit = readJUnit(junitXml(report)).suites[0].cases[0];
    expect(junit.name).toBe('site.git-version');
    expect(junit.failure?.attributes.message).toContain('its waiver expired after 2027-01-31');
  });

  it('a passing check notes its waiver as unused', async () => {
    const report = await suite('2027-01-01', [passing]);
    expect(report.results[0]).toMatchObject({ status: 'pass', waiver: { effect: 'unused' } });
  });

  it('the catalog records the waivers a verdict relied on, which expire with their date', async () => {
    const report = await suite('2027-01-15', [failing, passing]);
    const plan = {
      target: { ...expectations().target },
      go: { version: '1.27.4', sha256: 'a', source: 'debian' },
      base: { ref: 'r', digest: 'd' },
      inputsDigest: 'sha256:x',
    } as never;
    const entry = catalogEntry(
      plan,
      { kind: 'toolchain', imageId: 'sha256:i', reportDigest: 'sha256:r' },
      { repository: 'bake/debian12-go', tag: 't' },
      report,
      new Date('2027-01-15T00:00:00Z'),
    );
    expect(entry.summary).toEqual({ checks: 2, passed: 1, skipped: 0, waived: 1 });
    expect(entry.waivers).toEqual([{ id: 'site.git-version', until: '2027-01-31' }]);
    expect(expiredWaiver(entry.waivers, '2027-01-31')).toBeUndefined();
    expect(expiredWaiver(entry.waivers, '2027-02-01')).toEqual({ id: 'site.git-version', until: '2027-01-31' });
  });

  it('which waivers end within 30 days, in words', () => {
    const today = new Date('2027-01-10T08:00:00Z');
    const soon = waiversEndingSoon(
      [
        { id: 'a.far', reason: 'r', until: '2027-03-01' },
        { id: 'b.soon', reason: 'r', until: '2027-02-09' },
        { id: 'c.gone', reason: 'r', until: '2027-01-07' },
        { id: 'd.today', reason: 'r', until: '2027-01-10' },
      ],
      today,
    );
    expect(soon.map((w) => [w.id, w.daysLeft, w.expired])).toEqual([
      ['c.gone', -3, true],
      ['d.today', 0, false],
      ['b.soon', 30, false],
    ]);
    expect(soon.map(describeWaiverStatus)).toEqual([
      'expired 2027-01-07 (3 days ago)',
      'expires 2027-01-10 (today is its last day)',
      'expires 2027-02-09 (in 30 days)',
    ]);
    expect(waiverStatus({ id: 'x', reason: 'r', until: '2027-01-11' }, today).daysLeft).toBe(1);
  });
});

describe('selecting custom checks', () => {
  it('appends the recipe and imported checks of the kind, and lists untranslated tests as skipped', () => {
    const { checks, skipped } = selectChecks(
      IMAGE_CHECKS,
      'runtime',
      {
        extra: [],
        skip: [],
        custom: [
          {
            id: 'site.ca',
            description: 'ca',
            kind: 'file',
            path: '/etc/ssl/certs/ca.pem',
            kinds: ['toolchain', 'runtime'],
          },
          { id: 'site.git', description: 'git', kind: 'command', command: ['git', '--version'] },
          {
            id: 'cst.s.tz',
            description: 'tz',
            kind: 'file',
            path: '/usr/share/zoneinfo',
            kinds: ['runtime'],
            origin: 's.yaml',
          },
        ],
        findings: [
          { id: 'cst.s.setup', origin: 's.yaml', reason: 'setup commands are not imported', kinds: ['runtime'] },
          { id: 'cst.s.other', origin: 's.yaml', reason: 'for the toolchain only' },
        ],
      },
      'debian12',
    );
    expect(checks.slice(-2).map((c) => [c.id, c.origin])).toEqual([
      ['site.ca', 'recipe'],
      ['cst.s.tz', 's.yaml'],
    ]);
    expect(checks.map((c) => c.id)).not.toContain('site.git');
    expect(skipped).toEqual([
      { id: 'cst.s.setup', reason: 'not imported from s.yaml: setup commands are not imported' },
    ]);
  });
});

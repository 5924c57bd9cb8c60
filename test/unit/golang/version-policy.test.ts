import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { evaluateVersion, loadVersionPolicy, PolicyRefusedError } from '../../../bake/golang/version-policy';
import { TEST_POLICY, tempDir } from './go-fixtures';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('loadVersionPolicy', () => {
  it('loads the shipped recipes/policy.yaml', async () => {
    // Upstream's two newest lines, no site lines: the shipped default follows upstream.
    expect(await loadVersionPolicy(resolve(__dirname, '../../../recipes'))).toEqual({ upstreamLines: 2, lines: [] });
  });

  async function loadText(text: string) {
    const dir = await tempDir('policy');
    await fs.writeFile(join(dir, 'policy.yaml'), text);
    return { dir, result: loadVersionPolicy(dir) };
  }

  it.each([
    [
      'a wrong line format',
      'lines:\n  - { line: "1", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n',
      'lines.0.line: expected a Go line like "1.27"',
    ],
    [
      'a patch on another line',
      'lines:\n  - { line: "1.22", minimumPatch: "1.23.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n',
      'lines.0.minimumPatch: 1.23.1 is not on line 1.22',
    ],
    [
      'an impossible date',
      'lines:\n  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-02-30" }\n',
      'lines.0.endOfSupport: not a calendar date',
    ],
    [
      'an unknown key',
      'lines:\n' +
        '  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01", eol: 1 }\n',
      'lines.0.eol: unknown key',
    ],
    [
      'a line without its name',
      'lines:\n  - { minimumPatch: "1.22.1", endOfSupport: "2027-01-01" }\n',
      'lines.0.line: missing',
    ],
    ['a negative upstream count', 'upstreamLines: -1\n', 'upstreamLines:'],
    [
      'recommended below minimum',
      'lines:\n  - { line: "1.22", minimumPatch: "1.22.5", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n',
      'lines.0.recommended: 1.22.1 is below minimumPatch 1.22.5',
    ],
    [
      'a duplicate line',
      'lines:\n' +
        '  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n' +
        '  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n',
      'lines.1.line: line 1.22 is listed twice',
    ],
    [
      'no line at all',
      'upstreamLines: 0\nlines: []\n',
      'lines: with upstreamLines: 0, list at least one line with an endOfSupport',
    ],
    ['broken YAML', 'lines: [\n', 'line 2: YAML:'],
  ])('rejects %s, naming file and field', async (_name, text, message) => {
    const { dir, result } = await loadText(text);
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.InvalidRecipe);
    expect((err as Error).message).toContain(`${join(dir, 'policy.yaml')}: ${message}`);
  });

  it('names the file when it is missing', async () => {
    const dir = await tempDir('policy');
    await expect(loadVersionPolicy(dir)).rejects.toThrow(
      `cannot read the Go version policy ${join(dir, 'policy.yaml')}: ENOENT`,
    );
  });
});

describe('evaluateVersion', () => {
  it('supports a version of a listed line, noting when it is older than recommended', () => {
    expect(evaluateVersion(TEST_POLICY, '1.22.12', at('2026-01-15'))).toEqual({
      status: 'supported',
      line: '1.22',
      endOfSupport: '2027-06-30',
      recommended: '1.22.12',
      messages: [],
    });
    expect(evaluateVersion(TEST_POLICY, '1.22.10', at('2026-01-15')).messages).toEqual([
      'Go 1.22.10 is older than the recommended 1.22.12 of line 1.22',
    ]);
  });

  it.each([
    ['a line not in policy', '1.25.1', '2026-01-15', 'line 1.25 is not supported; supported: 1.23, 1.22, 1.21'],
    ['a version below the minimum patch', '1.22.9', '2026-01-15', 'below the minimum patch 1.22.10 of line 1.22'],
    ['a line past its end of support', '1.21.13', '2025-02-12', 'line 1.21 reached its end of support on 2025-02-11'],
  ])('refuses %s', (_name, version, now, message) => {
    const run = () => evaluateVersion(TEST_POLICY, version, at(now));
    expect(run).toThrow(PolicyRefusedError);
    expect(run).toThrow(`Go ${version} is refused by the version policy: ${message}`);
    try {
      run();
    } catch (err) {
      expect((err as BakeError).exitCode).toBe(ExitCode.InvalidRecipe);
    }
  });

  it('still supports the end-of-support day itself, with a warning', () => {
    const verdict = evaluateVersion(TEST_POLICY, '1.21.13', at('2025-02-11'));
    expect(verdict.status).toBe('expiring');
    expect(verdict.messages[0]).toBe(
      'Go 1.21 reaches end of support on 2025-02-11 (1 day left); move to 1.23 (recommended 1.23.5)',
    );
  });

  it('warns within 30 days of the end, not before', () => {
    expect(evaluateVersion(TEST_POLICY, '1.22.12', new Date('2027-05-31T23:59:59Z')).status).toBe('supported');
    const verdict = evaluateVersion(TEST_POLICY, '1.22.12', new Date('2027-06-01T00:00:00Z'));
    expect(verdict).toMatchObject({ status: 'expiring', line: '1.22' });
    expect(verdict.messages).toEqual([
      'Go 1.22 reaches end of support on 2027-06-30 (30 days left); move to 1.23 (recommended 1.23.5)',
    ]);
  });
});

describe('the supported lines follow upstream', () => {
  const UPSTREAM = { upstreamLines: 2, lines: [] };
  const index = ['1.28.1', '1.28.0', '1.27.9', '1.27.8', '1.26.20'];

  it('supports the two newest lines of the index, each from its newest patch', () => {
    expect(evaluateVersion(UPSTREAM, '1.28.1', at('2026-12-02'), index)).toMatchObject({
      status: 'supported',
      line: '1.28',
      recommended: '1.28.1',
    });
    expect(evaluateVersion(UPSTREAM, '1.27.9', at('2026-12-02'), index)).toMatchObject({
      status: 'supported',
      line: '1.27',
    });
    expect(() => evaluateVersion(UPSTREAM, '1.27.8', at('2026-12-02'), index)).toThrow(
      'below the minimum patch 1.27.9 of line 1.27',
    );
    expect(() => evaluateVersion(UPSTREAM, '1.26.20', at('2026-12-02'), index)).toThrow(
      'line 1.26 is not supported; supported: 1.28, 1.27',
    );
  });

  it('refuses a line that left upstream support with the date it left', () => {
    expect(() => evaluateVersion(UPSTREAM, '1.22.12', at('2026-12-02'), ['1.22.12'])).toThrow(
      'Go 1.22.12 is refused by the version policy: ' +
        'line 1.22 is not supported (it left upstream support on 2025-02-11)',
    );
  });

  it('never lets an old index make an old line current', () => {
    // A mirror that only carries 1.22 and 1.23 does not make them the two newest lines.
    expect(() => evaluateVersion(UPSTREAM, '1.23.5', at('2026-12-02'), ['1.23.5', '1.22.12'])).toThrow(
      'line 1.23 is not supported',
    );
  });

  it('keeps a line the site extends, until its date, and warns before it', () => {
    const site = { upstreamLines: 2, lines: [{ line: '1.26', endOfSupport: '2027-01-15' }] };
    expect(evaluateVersion(site, '1.26.20', at('2026-12-02'), index)).toMatchObject({
      status: 'supported',
      line: '1.26',
      endOfSupport: '2027-01-15',
    });
    expect(evaluateVersion(site, '1.26.20', at('2027-01-01'), index).status).toBe('expiring');
    expect(() => evaluateVersion(site, '1.26.20', at('2027-01-16'), index)).toThrow(
      'line 1.26 reached its end of support on 2027-01-15',
    );
  });

  it('takes a minimum patch the site pins, lower or higher than the newest', () => {
    const lower = { upstreamLines: 2, lines: [{ line: '1.27', minimumPatch: '1.27.8' }] };
    expect(evaluateVersion(lower, '1.27.8', at('2026-12-02'), index).messages).toEqual([
      'Go 1.27.8 is older than the recommended 1.27.9 of line 1.27',
    ]);
    const higher = { upstreamLines: 2, lines: [{ line: '1.28', minimumPatch: '1.28.2' }] };
    expect(() => evaluateVersion(higher, '1.28.1', at('2026-12-02'), index)).toThrow(
      'below the minimum patch 1.28.2 of line 1.28',
    );
  });
});

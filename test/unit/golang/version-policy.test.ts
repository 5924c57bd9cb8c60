import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { evaluateVersion, loadVersionPolicy, PolicyRefusedError } from '../../../bake/golang/version-policy';
import { TEST_POLICY, tempDir } from './go-fixtures';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('loadVersionPolicy', () => {
  it('loads the shipped recipes/policy.yaml', async () => {
    const policy = await loadVersionPolicy(resolve(__dirname, '../../../recipes'));
    expect(policy.lines.map((l) => l.line)).toEqual(expect.arrayContaining(['1.22', '1.23']));
    expect(policy.lines.find((l) => l.line === '1.22')).toMatchObject({ minimumPatch: '1.22.12', endOfSupport: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
  });

  async function loadText(text: string) {
    const dir = await tempDir('policy');
    await fs.writeFile(join(dir, 'policy.yaml'), text);
    return { dir, result: loadVersionPolicy(dir) };
  }

  it.each([
    ['a wrong line format', 'lines:\n  - { line: "1", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n', 'lines.0.line: expected a Go line like "1.22"'],
    ['a patch on another line', 'lines:\n  - { line: "1.22", minimumPatch: "1.23.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n', 'lines.0.minimumPatch: 1.23.1 is not on line 1.22'],
    ['an impossible date', 'lines:\n  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-02-30" }\n', 'lines.0.endOfSupport: not a calendar date'],
    ['an unknown key', 'lines:\n  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01", eol: 1 }\n', 'lines.0.eol: unknown key'],
    ['a missing field', 'lines:\n  - { line: "1.22", minimumPatch: "1.22.1", endOfSupport: "2027-01-01" }\n', 'lines.0.recommended: missing'],
    ['recommended below minimum', 'lines:\n  - { line: "1.22", minimumPatch: "1.22.5", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n', 'lines.0.recommended: 1.22.1 is below minimumPatch 1.22.5'],
    ['a duplicate line', 'lines:\n  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n  - { line: "1.22", minimumPatch: "1.22.1", recommended: "1.22.1", endOfSupport: "2027-01-01" }\n', 'lines.1.line: line 1.22 is listed twice'],
    ['no lines', 'lines: []\n', 'lines: list at least one supported Go line'],
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
    await expect(loadVersionPolicy(dir)).rejects.toThrow(`cannot read the Go version policy ${join(dir, 'policy.yaml')}: ENOENT`);
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
    expect(evaluateVersion(TEST_POLICY, '1.22.10', at('2026-01-15')).messages).toEqual(['Go 1.22.10 is older than the recommended 1.22.12 of line 1.22']);
  });

  it.each([
    ['a line not in policy', '1.25.1', '2026-01-15', 'line 1.25 is not supported (supported: 1.21, 1.22, 1.23)'],
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
    expect(verdict.messages[0]).toBe('Go 1.21 reaches end of support on 2025-02-11 (1 day left); move to 1.23 (recommended 1.23.5)');
  });

  it('warns within 30 days of the end, not before', () => {
    expect(evaluateVersion(TEST_POLICY, '1.22.12', new Date('2027-05-31T23:59:59Z')).status).toBe('supported');
    const verdict = evaluateVersion(TEST_POLICY, '1.22.12', new Date('2027-06-01T00:00:00Z'));
    expect(verdict).toMatchObject({ status: 'expiring', line: '1.22' });
    expect(verdict.messages).toEqual(['Go 1.22 reaches end of support on 2027-06-30 (30 days left); move to 1.23 (recommended 1.23.5)']);
  });
});

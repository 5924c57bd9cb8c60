import { sha256Hex } from '../../../../bake/common/sha256';
import { RESULT_BEGIN, RESULT_END } from '../../../../bake/vm/ec2/bake-tags';
import { hostReport, parseConsoleResult, verdictReport } from '../../../../bake/vm/ec2/host-result';
import type { HostResult } from '../../../../bake/vm/types';

const result = (passed: boolean): HostResult => ({
  schema: 'bake.host-readiness/v1',
  target: 'debian12-amd64',
  passed,
  summary: passed ? '2/2 passed' : '1/2 passed',
  finishedAt: '2025-01-01T00:01:00Z',
  results: [
    { id: 'go.version', status: 'pass', reason: 'go version go1.22.12 linux/amd64' },
    {
      id: 'vm.chrony',
      status: passed ? 'pass' : 'fail',
      reason: passed ? 'chrony.service enabled' : 'chrony.service is not enabled',
    },
  ],
});

/** A block as the script prints it: the line, and its sha256 in the end marker. */
function block(r: HostResult): string {
  const line = JSON.stringify(r);
  return `${RESULT_BEGIN}\n${line}\n${RESULT_END} sha256=${sha256Hex(`${line}\n`)}\n`;
}

describe('parseConsoleResult', () => {
  it('cuts the result out of a boot log, with CRLF line ends, and names its sha256', () => {
    const text = `[    0.000000] Linux version 6.1\r\ncloud-init: running\r\n${block(result(true)).replace(/\n/g, '\r\n')}[   42.1] reached target\r\n`;
    const parsed = parseConsoleResult(text);
    expect(parsed?.result).toEqual(result(true));
    expect(parsed?.sha256).toBe(sha256Hex(`${JSON.stringify(result(true))}\n`));
  });

  it('takes the last complete block (a second run prints another)', () => {
    expect(parseConsoleResult(`${block(result(true))}${block(result(false))}`)?.result.passed).toBe(false);
  });

  it('ignores a block whose line does not hash to what the marker says (interleaved or cut)', () => {
    const good = block(result(true));
    const damaged = good.replace('"passed":true', '"passed":true ');
    expect(parseConsoleResult(damaged)).toBeUndefined();
    expect(parseConsoleResult(`${good}${RESULT_BEGIN}\n{"schema":`)?.result.passed).toBe(true);
    expect(parseConsoleResult('no markers here')).toBeUndefined();
  });
});

describe('reports from a host', () => {
  const artifact = { kind: 'vm' as const, ref: 'builder i-1', id: 'i-1', platform: 'linux/amd64' };
  const started = new Date('2025-01-01T00:00:00Z');

  it("turns the script's result into a readiness report", () => {
    const report = hostReport(result(false), artifact, started);
    expect(report).toMatchObject({
      schema: 'bake.report/v1',
      target: 'debian12-amd64',
      passed: false,
      artifact,
      durationMs: 60_000,
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['go.version', 'pass'],
      ['vm.chrony', 'fail'],
    ]);
  });

  it('never passes a result whose checks did not all pass, whatever its passed field says', () => {
    expect(hostReport({ ...result(false), passed: true }, artifact, started).passed).toBe(false);
    expect(hostReport({ ...result(true), results: [] }, artifact, started).passed).toBe(false);
  });

  it('makes a one-result report from the verdict tags alone', () => {
    const report = verdictReport(
      'debian12-amd64',
      { status: 'fail', summary: 'provisioning failed: exit 1 at line 9' },
      artifact,
      started,
      new Date('2025-01-01T00:00:05Z'),
    );
    expect(report).toMatchObject({
      passed: false,
      durationMs: 5000,
      results: [{ id: 'host.verdict', status: 'fail', reason: 'provisioning failed: exit 1 at line 9' }],
    });
  });
});

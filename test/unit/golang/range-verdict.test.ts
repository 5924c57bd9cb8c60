import { rangeVerdict } from '../../../bake/golang/range-verdict';
import { NOW, TEST_POLICY } from './go-fixtures';

describe('rangeVerdict (no network)', () => {
  it('judges a range by the newest line it reaches', () => {
    expect(rangeVerdict(TEST_POLICY, '1.22.x', NOW)).toMatchObject({ status: 'supported', line: '1.22' });
    expect(rangeVerdict(TEST_POLICY, '>=1.22.0 <1.24.0', NOW)).toMatchObject({ status: 'supported', line: '1.23' });
  });
  it('warns for a line within 30 days of its end', () => {
    const verdict = rangeVerdict(TEST_POLICY, '1.22.x', new Date('2027-06-20T00:00:00Z'));
    expect(verdict.status).toBe('expiring');
    expect(verdict.messages[0]).toContain('Go 1.22 reaches end of support on 2027-06-30 (11 days left)');
  });
  it.each([
    ['1.25.x', 'range 1.25.x reaches no supported line (line 1.25 is not supported; supported: 1.23, 1.22, 1.21)'],
    ['1.22.0 - 1.22.5', 'range 1.22.0 - 1.22.5 reaches below the minimum patch of line 1.22 (1.22.10)'],
    ['1.21.x', 'range 1.21.x is refused by the version policy: line 1.21 reached its end of support on 2025-02-11'],
    ['not-a-range', '"not-a-range" is not a valid version range'],
  ])('refuses %s without throwing', (range, message) => {
    expect(rangeVerdict(TEST_POLICY, range, NOW)).toEqual({ status: 'refused', messages: [message] });
  });
});

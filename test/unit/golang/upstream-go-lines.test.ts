import { effectiveLines, KNOWN_GO_RELEASES } from '../../../bake/golang/upstream-go-lines';
import type { GoVersionPolicy } from '../../../bake/golang/types';

const policy = (extra: Partial<GoVersionPolicy> = {}): GoVersionPolicy => ({ upstreamLines: 2, lines: [], ...extra });

describe('effectiveLines', () => {
  test('the two newest lines, each at its newest patch, newest first; pre-releases do not count', () => {
    expect(effectiveLines(policy(), ['1.28.0-rc.1', '1.27.2', '1.26.3'])).toEqual([
      { line: '1.27', minimumPatch: '1.27.4', recommended: '1.27.4', origin: 'upstream' },
      { line: '1.26', minimumPatch: '1.26.11', recommended: '1.26.11', origin: 'upstream' },
    ]);
  });

  test("a newer release in the index moves the lines on; bake's known releases are a floor", () => {
    const lines = effectiveLines(policy(), ['1.28.1', '1.28.0', '1.27.5']);
    expect(lines.map((l) => [l.line, l.recommended])).toEqual([
      ['1.28', '1.28.1'],
      ['1.27', '1.27.5'],
    ]);
    // A stale index cannot bring an old line back.
    expect(effectiveLines(policy(), ['1.22.12']).map((l) => l.line)).toEqual(['1.27', '1.26']);
    expect(KNOWN_GO_RELEASES[0]).toBe('1.27.4');
  });

  test('a site line past upstream support needs an end date, and keeps it', () => {
    const withoutDate = effectiveLines(policy({ lines: [{ line: '1.25' }] }), []);
    expect(withoutDate.map((l) => l.line)).toEqual(['1.27', '1.26']);
    const kept = effectiveLines(policy({ lines: [{ line: '1.25', endOfSupport: '2027-03-01' }] }), []);
    expect(kept[2]).toEqual({
      line: '1.25',
      minimumPatch: '1.25.12',
      recommended: '1.25.12',
      endOfSupport: '2027-03-01',
      origin: 'site',
    });
  });

  test('a site minimum on an upstream line pins it, and the newest patch stays recommended', () => {
    const [line] = effectiveLines(policy({ lines: [{ line: '1.27', minimumPatch: '1.27.3' }] }), []);
    expect(line).toEqual({ line: '1.27', minimumPatch: '1.27.3', recommended: '1.27.4', origin: 'upstream' });
  });

  test('with upstreamLines 0 only the site lines hold, and a line no release is known of starts at .0', () => {
    const lines = effectiveLines(
      policy({ upstreamLines: 0, lines: [{ line: '1.30', endOfSupport: '2030-01-01' }] }),
      [],
    );
    expect(lines).toEqual([
      { line: '1.30', minimumPatch: '1.30.0', recommended: '1.30.0', endOfSupport: '2030-01-01', origin: 'site' },
    ]);
  });
});

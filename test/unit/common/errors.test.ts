import { BakeError, ExitCode, exitCodeOf } from '../../../bake/common/errors';

describe('exitCodeOf', () => {
  test("a BakeError's own code; anything else is a plain failure, or what the caller says", () => {
    expect(exitCodeOf(new BakeError('x', ExitCode.Untrusted))).toBe(ExitCode.Untrusted);
    expect(exitCodeOf(new Error('x'))).toBe(ExitCode.Failure);
    expect(exitCodeOf('a string')).toBe(ExitCode.Failure);
    expect(exitCodeOf(new Error('x'), { otherwise: ExitCode.Unavailable })).toBe(ExitCode.Unavailable);
    expect(exitCodeOf(new BakeError('x', ExitCode.Usage), { otherwise: ExitCode.Unavailable })).toBe(ExitCode.Usage);
  });

  test('after an interrupt, whatever broke is the interrupt', () => {
    const controller = new AbortController();
    expect(exitCodeOf(new BakeError('x', ExitCode.Unavailable), { signal: controller.signal })).toBe(
      ExitCode.Unavailable,
    );
    controller.abort();
    expect(exitCodeOf(new BakeError('x', ExitCode.Unavailable), { signal: controller.signal })).toBe(
      ExitCode.Interrupted,
    );
    expect(exitCodeOf(new Error('stream cancelled'), { signal: controller.signal })).toBe(ExitCode.Interrupted);
  });
});

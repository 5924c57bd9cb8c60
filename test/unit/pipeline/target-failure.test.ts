import { BakeError, ExitCode } from '../../../bake/common/errors';
import { targetFailure } from '../../../bake/pipeline/target-failure';

describe('targetFailure', () => {
  test.each([
    [new BakeError('no base for arm64', ExitCode.Unavailable), 'unavailable', ExitCode.Unavailable],
    [new BakeError('go mirror lies', ExitCode.Untrusted), 'failed', ExitCode.Untrusted],
    [new BakeError('stopped', ExitCode.Interrupted), 'interrupted', ExitCode.Interrupted],
    [new Error('boom'), 'failed', ExitCode.Failure],
  ] as const)('%s is %s', (err, status, exitCode) => {
    expect(targetFailure(err)).toEqual({ status, message: err.message, exitCode });
  });

  test('an aborted run makes any failure an interrupt', () => {
    const controller = new AbortController();
    controller.abort();
    expect(targetFailure(new BakeError('no base', ExitCode.Unavailable), controller.signal)).toEqual({
      status: 'interrupted',
      message: 'no base',
      exitCode: ExitCode.Interrupted,
    });
  });
});

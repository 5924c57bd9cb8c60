import { buildFailure, BuildFailedError } from '../../../../bake/engine/build/build-failure';
import { ExitCode } from '../../../../bake/common/errors';

describe('buildFailure', () => {
  test('names the failing step and shows its last output lines under a one-line summary', () => {
    const err = buildFailure('img:1 (linux/amd64)', 'executor failed running [/bin/sh -c make]:\n exit code: 2', {
      step: 7,
      name: '[3/4] RUN make',
      error: 'exit code: 2',
      tail: ['cc -c a.c', 'a.c:1: error: boom'],
    });
    expect(err).toBeInstanceOf(BuildFailedError);
    expect(err.exitCode).toBe(ExitCode.Failure);
    expect(err.step).toBe('#7 [3/4] RUN make');
    expect(err.output).toEqual(['cc -c a.c', 'a.c:1: error: boom']);
    expect(err.message.split('\n')).toEqual([
      'build of img:1 (linux/amd64) failed at step #7 [3/4] RUN make: ' +
        'executor failed running [/bin/sh -c make]: exit code: 2',
      'last 2 line(s) of its output:',
      '  > cc -c a.c',
      '  > a.c:1: error: boom',
    ]);
  });

  test('without a known step or output the message is one line', () => {
    const err = buildFailure('ctx (linux/arm64)', 'failed to solve: no such file', undefined);
    expect(err.message).toBe('build of ctx (linux/arm64) failed: failed to solve: no such file');
    expect(err.step).toBeUndefined();
  });
});

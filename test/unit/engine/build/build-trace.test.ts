import { BuildTrace, LOG_TAIL_LINES } from '../../../../bake/engine/build/build-trace';
import { decodeTrace } from '../../../../bake/engine/build/trace-messages';
import { digest, encodeTrace, ts } from './trace-fixtures';

const apply = (trace: BuildTrace, value: Record<string, unknown>) => trace.apply(decodeTrace(encodeTrace(value)));
const log = (n: number, text: string) => ({ vertex: digest(n), stream: 1, msg: Buffer.from(text) });

describe('BuildTrace', () => {
  test('numbers steps in order of appearance and reports each status change once', () => {
    const trace = new BuildTrace();
    expect(
      apply(trace, {
        vertexes: [
          { digest: digest(1), name: '[internal] load build definition from Dockerfile' },
          { digest: digest(2), name: '[1/2] FROM base' },
        ],
      }),
    ).toEqual([]);
    const started = apply(trace, {
      vertexes: [{ digest: digest(2), name: '[1/2] FROM base', started: ts('2025-01-01T00:00:00Z') }],
    });
    expect(started).toEqual([
      expect.objectContaining({ vertex: digest(2), step: 2, name: '[1/2] FROM base', status: 'started', logs: [] }),
    ]);
    // The engine repeats a vertex unchanged: no new event.
    expect(
      apply(trace, { vertexes: [{ digest: digest(2), name: '[1/2] FROM base', started: ts('2025-01-01T00:00:00Z') }] }),
    ).toEqual([]);
    const cached = apply(trace, {
      vertexes: [
        {
          digest: digest(2),
          name: '[1/2] FROM base',
          cached: true,
          started: ts('2025-01-01T00:00:00Z'),
          completed: ts('2025-01-01T00:00:01Z'),
        },
      ],
    });
    expect(cached).toEqual([
      expect.objectContaining({ step: 2, status: 'cached', completed: new Date('2025-01-01T00:00:01Z') }),
    ]);
    const ran = apply(trace, {
      vertexes: [
        {
          digest: digest(3),
          name: '[2/2] RUN make',
          started: ts('2025-01-01T00:00:02Z'),
          completed: ts('2025-01-01T00:00:05Z'),
        },
      ],
    });
    expect(ran).toEqual([expect.objectContaining({ step: 3, status: 'completed' })]);
    apply(trace, {
      vertexes: [
        {
          digest: digest(4),
          name: 'exporting to image',
          started: ts('2025-01-01T00:00:05Z'),
          completed: ts('2025-01-01T00:00:06Z'),
        },
        {
          digest: digest(5),
          name: '[stage-1 2/2] COPY --from=build /b /b',
          cached: true,
          started: ts('2025-01-01T00:00:05Z'),
        },
      ],
    });
    // Dockerfile instructions only: not the internal steps, not the export, not FROM.
    expect(trace.counts()).toEqual({ steps: 2, cachedSteps: 1 });
  });

  test('joins output split across messages into lines and keeps the last lines per step', () => {
    const trace = new BuildTrace();
    apply(trace, { vertexes: [{ digest: digest(1), name: '[1/1] RUN build', started: ts('2025-01-01T00:00:00Z') }] });
    expect(apply(trace, { logs: [log(1, 'compil')] })).toEqual([]);
    const events = apply(trace, { logs: [log(1, 'ing a\nlinking b\r\nprogress 50%\rprogress 100%\n')] });
    expect(events).toEqual([
      expect.objectContaining({
        step: 1,
        status: 'started',
        logs: ['compiling a', 'linking b', 'progress 50%', 'progress 100%'],
      }),
    ]);
    const many = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    apply(trace, { logs: [log(1, `${many}\nunterminated`)] });
    const failed = trace.failedStep()!;
    expect(failed.tail).toHaveLength(LOG_TAIL_LINES);
    expect(failed.tail[LOG_TAIL_LINES - 1]).toBe('unterminated');
    expect(failed.tail[LOG_TAIL_LINES - 2]).toBe('line 39');
  });

  test('the failed step is the one the engine marked with an error', () => {
    const trace = new BuildTrace();
    apply(trace, {
      vertexes: [
        {
          digest: digest(1),
          name: '[a 1/2] RUN ok',
          started: ts('2025-01-01T00:00:00Z'),
          completed: ts('2025-01-01T00:00:01Z'),
        },
        { digest: digest(2), name: '[b 1/2] RUN slow', started: ts('2025-01-01T00:00:00Z') },
        { digest: digest(3), name: '[a 2/2] RUN exit 3', started: ts('2025-01-01T00:00:01Z') },
      ],
      logs: [log(3, 'out1\nout2\n'), log(2, 'other\n')],
    });
    const events = apply(trace, {
      vertexes: [
        {
          digest: digest(3),
          name: '[a 2/2] RUN exit 3',
          started: ts('2025-01-01T00:00:01Z'),
          completed: ts('2025-01-01T00:00:02Z'),
          error: 'exit code: 3',
        },
      ],
    });
    expect(events).toEqual([expect.objectContaining({ step: 3, status: 'error', error: 'exit code: 3' })]);
    expect(trace.failedStep()).toEqual({
      step: 3,
      name: '[a 2/2] RUN exit 3',
      error: 'exit code: 3',
      tail: ['out1', 'out2'],
    });
  });

  test('a step that failed on its own, not one BuildKit canceled beside it, is the failed step', () => {
    const trace = new BuildTrace();
    apply(trace, {
      vertexes: [
        {
          digest: digest(1),
          name: '[builder 4/6] RUN tools',
          started: ts('2025-01-01T00:00:00Z'),
          completed: ts('2025-01-01T00:00:02Z'),
          error: 'process "/bin/tool build" did not complete successfully: exit code: 11',
        },
        {
          digest: digest(2),
          name: '[builder 3/6] RUN go build std',
          started: ts('2025-01-01T00:00:00Z'),
          completed: ts('2025-01-01T00:00:02Z'),
          error: 'context canceled',
        },
      ],
    });
    expect(trace.failedStep()?.name).toBe('[builder 4/6] RUN tools');
  });

  test('without an error mark, the last step still running is the failed one', () => {
    const trace = new BuildTrace();
    apply(trace, {
      vertexes: [
        {
          digest: digest(1),
          name: '[1/2] COPY x',
          started: ts('2025-01-01T00:00:00Z'),
          completed: ts('2025-01-01T00:00:00Z'),
        },
        { digest: digest(2), name: '[2/2] RUN y', started: ts('2025-01-01T00:00:01Z') },
      ],
    });
    expect(trace.failedStep()?.name).toBe('[2/2] RUN y');
    expect(new BuildTrace().failedStep()).toBeUndefined();
  });
});

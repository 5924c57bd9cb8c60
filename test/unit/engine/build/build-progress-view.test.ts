import {
  createProgressView,
  formatLiveLine,
  formatPlainLines,
  statusSuffix,
  type LiveTargetState,
} from '../../../../bake/engine/build/build-progress-view';
import type { BuildProgressEvent } from '../../../../bake/engine/types';

const event = (extra: Partial<BuildProgressEvent>): BuildProgressEvent => ({
  vertex: 'v',
  step: 3,
  name: '[2/5] RUN apt-get install -y git',
  status: 'started',
  logs: [],
  ...extra,
});
const now = new Date('2025-06-01T12:00:10Z');

function sink(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: Object.assign({
      write: (s: string) => written.push(s) !== 0,
      isTTY,
      columns: 120,
    }) as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number },
  };
}

describe('plain progress lines (CI and pipes)', () => {
  test('one timestamped line per step change, with the target and step number', () => {
    expect(formatPlainLines('debian12-amd64', event({ status: 'cached' }), now)).toEqual([
      '2025-06-01T12:00:10.000Z [debian12-amd64] #3 [2/5] RUN apt-get install -y git (cached)',
    ]);
    expect(formatPlainLines('t', event({ status: 'started' }), now)).toEqual([
      '2025-06-01T12:00:10.000Z [t] #3 [2/5] RUN apt-get install -y git',
    ]);
  });

  test('output lines are prefixed with the step they belong to', () => {
    expect(formatPlainLines('t', event({ logs: ['Reading package lists...', 'Done'] }), now)).toEqual([
      '2025-06-01T12:00:10.000Z [t] #3 | Reading package lists...',
      '2025-06-01T12:00:10.000Z [t] #3 | Done',
    ]);
  });

  test('status suffixes: done with its duration, error with the reason on one line', () => {
    expect(statusSuffix(event({ status: 'completed', started: new Date(0), completed: new Date(2345) }))).toBe(
      ' (done 2.3s)',
    );
    expect(statusSuffix(event({ status: 'error', error: 'exit code:\n 1' }))).toBe(' (error: exit code: 1)');
  });

  test('without a terminal (or with CI set) the view writes plain lines', () => {
    const { written, stream } = sink(false);
    const view = createProgressView({ stream, env: {}, now: () => now });
    view.update('t', event({ status: 'cached' }));
    view.finish('t', 'built', 12_340);
    view.close();
    expect(written.join('')).toBe(
      '2025-06-01T12:00:10.000Z [t] #3 [2/5] RUN apt-get install -y git (cached)\n' +
        '2025-06-01T12:00:10.000Z [t] built in 12.3s\n',
    );
    const ci = sink(true);
    createProgressView({ stream: ci.stream, env: { CI: 'true' }, now: () => now }).update('t', event({}));
    expect(ci.written.join('')).not.toContain('\x1b[');
  });
});

describe('live progress view (terminal)', () => {
  const state = (extra: Partial<LiveTargetState>): LiveTargetState => ({
    steps: new Set(['a', 'b', 'c']),
    cached: new Set(['a']),
    ...extra,
  });

  test('one line per target: current step, running with elapsed time, counts', () => {
    const line = formatLiveLine(
      'debian12-arm64',
      state({ current: event({ started: new Date('2025-06-01T12:00:02.500Z') }) }),
      now,
      200,
    );
    expect(line).toBe('debian12-arm64  #3 [2/5] RUN apt-get install -y git  running 7.5s  (3 steps, 1 cached)');
    expect(formatLiveLine('t', state({ current: event({ status: 'cached' }) }), now, 200)).toContain(
      'cached  (3 steps, 1 cached)',
    );
    expect(formatLiveLine('t', state({ outcome: { result: 'failed', durationMs: 61_000 } }), now, 200)).toBe(
      't  failed in 61.0s (3 steps, 1 cached)',
    );
  });

  test('the step name gives way when the terminal is narrow; nothing exceeds the width', () => {
    const line = formatLiveLine('t', state({ current: event({ status: 'cached' }) }), now, 50);
    expect(line).toBe('t  #3 [2/5] RUN ap...  cached  (3 steps, 1 cached)');
    expect(line).toHaveLength(50);
    const tiny = formatLiveLine('t', state({ current: event({}) }), now, 10);
    expect(tiny).toHaveLength(10);
  });

  test('rewrites its lines in place with ANSI codes and hides the engine bookkeeping steps', () => {
    const { written, stream } = sink(true);
    const view = createProgressView({ stream, env: {}, now: () => now, refreshMs: 60_000 });
    view.update('a', event({ name: '[internal] load metadata' }));
    expect(written).toEqual([]);
    view.update('a', event({ status: 'cached' }));
    view.update('b', event({ vertex: 'w', step: 4, name: '[1/1] RUN true', status: 'started', started: now }));
    view.close();
    expect(written[0]).toBe('\x1b[2Ka  #3 [2/5] RUN apt-get install -y git  cached  (1 steps, 1 cached)\n');
    // Second draw: cursor up over the one line drawn, then both lines.
    expect(written[1].startsWith('\x1b[1A\x1b[2Ka  #3')).toBe(true);
    expect(written[1]).toContain('\x1b[2Kb  #4 [1/1] RUN true  running 0.0s  (1 steps, 0 cached)\n');
    expect(written[2].startsWith('\x1b[2A')).toBe(true);
  });
});

describe('credentials in build output', () => {
  // A RUN step's own output (curl -v, a failed fetch) can quote a URL with its credentials.
  const leaky = event({
    name: '[3/5] RUN curl https://u:s3cret@dl.example/x?token=s3cret',
    logs: ['> Authorization: Bearer s3cret'],
  });

  test.each([false, true])('never reach the stream (terminal: %s), though scheme and host do', (isTTY) => {
    const { written, stream } = sink(isTTY);
    const view = createProgressView({ stream, env: {}, now: () => now, refreshMs: 60_000 });
    view.update('t', { ...leaky, logs: [] });
    view.update('t', leaky);
    view.print('fetch https://u:s3cret@dl.example/x failed\n');
    view.finish('t', 'failed', 1000);
    view.close();
    const text = written.join('');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('https://***@dl.example');
  });

  test('the live view still follows the terminal width', () => {
    const { written, stream } = sink(true);
    const view = createProgressView({ stream, env: {}, now: () => now, refreshMs: 60_000 });
    stream.columns = 30;
    view.update('t', event({ status: 'cached' }));
    view.close();
    expect(written[0].replace('\x1b[2K', '').trimEnd().length).toBeLessThanOrEqual(29);
  });
});

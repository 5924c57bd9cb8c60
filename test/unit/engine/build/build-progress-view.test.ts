import {
  createProgressView,
  formatLiveLine,
  formatPlainLines,
  statusSuffix,
} from '../../../../bake/engine/build/build-progress-view';
import type { LiveTargetState } from '../../../../bake/engine/build/types';
import { createLogger } from '../../../../bake/common/log';
import type { BuildProgressEvent } from '../../../../bake/engine/types';
import { FakeTerminal } from '../../fake-terminal';

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

  test('draws one line per target at the bottom and hides the engine bookkeeping steps', () => {
    const terminal = new FakeTerminal(120, 10);
    const view = createProgressView({ stream: terminal, env: {}, now: () => now, refreshMs: 60_000 });
    view.update('a', event({ name: '[internal] load metadata' }));
    expect(terminal.writes).toEqual([]);
    view.update('a', event({ status: 'cached' }));
    view.update('b', event({ vertex: 'w', step: 4, name: '[1/1] RUN true', status: 'started', started: now }));
    expect(terminal.lines()).toEqual([
      'a  #3 [2/5] RUN apt-get install -y git  cached  (1 steps, 1 cached)',
      'b  #4 [1/1] RUN true  running 0.0s  (1 steps, 0 cached)',
    ]);
  });

  test('log lines go above the view, closing takes it off the screen, and the table printed next is last', () => {
    const terminal = new FakeTerminal(60, 8);
    const view = createProgressView({ stream: terminal, env: {}, now: () => now, refreshMs: 60_000 });
    const logger = createLogger({
      stream: { write: (text: string) => (view.print(text), true), isTTY: true } as never,
    });
    const tagged = 'debian12-amd64/runtime: vetted, tagged bake/debian12-runtime:1.27.4-20261206-6ebc2d33b91c-amd64';
    view.update('debian12-amd64/toolchain', event({ status: 'cached' }));
    logger.info('debian12-amd64/toolchain: building');
    view.update('debian12-amd64/runtime', event({ vertex: 'x', status: 'started', started: now }));
    logger.info(tagged);
    view.update(
      'debian12-amd64/runtime',
      event({ vertex: 'y', step: 11, name: 'exporting to image', status: 'completed' }),
    );
    view.close();
    logger.info('1 target: 1 vetted');
    terminal.write('TARGET          KIND       RESULT\n');
    expect(terminal.lines()).toEqual([
      'debian12-amd64/toolchain: building',
      tagged,
      '1 target: 1 vetted',
      'TARGET          KIND       RESULT',
    ]);
  });

  test('closed, it draws no more, and it clears itself if the process exits while it shows', () => {
    const listeners = process.listenerCount('exit');
    const terminal = new FakeTerminal(80, 6);
    const view = createProgressView({ stream: terminal, env: {}, now: () => now, refreshMs: 60_000 });
    view.update('t', event({ status: 'cached' }));
    expect(process.listenerCount('exit')).toBe(listeners + 1);
    process.listeners('exit').at(-1)!(0);
    expect(terminal.lines()).toEqual([]);
    view.close();
    expect(process.listenerCount('exit')).toBe(listeners);
    view.update('t', event({ status: 'started' }));
    expect(terminal.lines()).toEqual([]);
    expect(process.listenerCount('exit')).toBe(listeners);
  });

  test('a step name too long for the terminal, or with line breaks, stays on its one row', () => {
    const terminal = new FakeTerminal(40, 6);
    const view = createProgressView({ stream: terminal, env: {}, now: () => now, refreshMs: 60_000 });
    view.update('t', event({ name: `RUN a \\\n\tb ${'c'.repeat(80)}`, status: 'cached' }));
    view.print('log\n');
    expect(terminal.screenRows().slice(0, 3)).toEqual(['log', 't  #3 R...  cached  (1 steps, 1 cached)', '']);
    view.close();
    expect(terminal.lines()).toEqual(['log']);
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

import { redact } from '../../common/redact';
import type { BuildProgressEvent } from '../types';
import { LiveBlock } from './live-block';
import type { TargetOutcome, ProgressView, LiveTargetState } from './types';

type ViewStream = Pick<NodeJS.WritableStream, 'write'> & { isTTY?: boolean; columns?: number; rows?: number };

export interface ProgressViewOptions {
  stream: ViewStream;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Live view refresh period; the elapsed time ticks even when no event arrives. */
  refreshMs?: number;
}

/**
 * A live view only where someone watches it: a terminal, outside CI. Whatever reaches the
 * stream is redacted first: build steps and their output quote URLs from recipes and mirrors.
 */
export function createProgressView(options: ProgressViewOptions): ProgressView {
  const env = options.env ?? process.env;
  if (options.stream.isTTY && !env.CI) return new LiveProgressView(options);
  const stream = options.stream;
  return new PlainProgressView({ ...options, stream: { write: (text: string) => stream.write(redact(text)) } });
}

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;

/** `(cached)`, `(done 2.3s)`, `(error: ...)`, or nothing for a step that just started. */
export function statusSuffix(event: BuildProgressEvent): string {
  switch (event.status) {
    case 'cached':
      return ' (cached)';
    case 'completed':
      return event.started && event.completed
        ? ` (done ${seconds(event.completed.getTime() - event.started.getTime())})`
        : ' (done)';
    case 'error':
      return ` (error: ${(event.error ?? 'failed').replace(/\s+/g, ' ')})`;
    default:
      return '';
  }
}

/**
 * Plain lines for CI logs and pipes: one per step change and one per output line,
 * e.g. `2025-01-01T00:00:00.000Z [debian12-amd64] #3 RUN apt-get ... (cached)`.
 */
export function formatPlainLines(label: string, event: BuildProgressEvent, now: Date): string[] {
  const stamp = now.toISOString();
  if (event.logs.length > 0) return event.logs.map((line) => `${stamp} [${label}] #${event.step} | ${line}`);
  return [`${stamp} [${label}] #${event.step} ${event.name}${statusSuffix(event)}`];
}

/** One compact line per build: the step it is on, whether it is cached or running, and for how long. */
export function formatLiveLine(label: string, state: LiveTargetState, now: Date, width: number): string {
  const counts = `${state.steps.size} steps, ${state.cached.size} cached`;
  let line: string;
  if (state.outcome) {
    line = `${label}  ${state.outcome.result} in ${seconds(state.outcome.durationMs)} (${counts})`;
  } else if (!state.current) {
    line = `${label}  starting`;
  } else {
    const e = state.current;
    const phase =
      e.status === 'started' && e.started
        ? `running ${seconds(now.getTime() - e.started.getTime())}`
        : e.status === 'cached'
          ? 'cached'
          : e.status === 'error'
            ? 'failed'
            : 'done';
    // The step name gives way first: status and elapsed time are what a watcher looks for.
    const prefix = `${label}  #${e.step} `;
    const suffix = `  ${phase}  (${counts})`;
    const room = width - prefix.length - suffix.length;
    const name = e.name.length <= room ? e.name : room > 3 ? `${e.name.slice(0, room - 3)}...` : '';
    line = `${prefix}${name}${suffix}`;
  }
  return line.length > width ? `${line.slice(0, Math.max(0, width - 3))}...` : line;
}

class PlainProgressView implements ProgressView {
  constructor(private readonly options: ProgressViewOptions) {}

  update(label: string, event: BuildProgressEvent): void {
    const now = this.options.now?.() ?? new Date();
    for (const line of formatPlainLines(label, event, now)) this.options.stream.write(`${line}\n`);
  }

  finish(label: string, outcome: TargetOutcome, durationMs: number): void {
    const now = this.options.now?.() ?? new Date();
    this.options.stream.write(`${now.toISOString()} [${label}] ${outcome} in ${seconds(durationMs)}\n`);
  }

  print(text: string): void {
    this.options.stream.write(text);
  }

  close(): void {}
}

/**
 * One line per build at the bottom of the terminal, redrawn in place (see LiveBlock); log
 * lines go above it, and closing the view removes it, so what follows is the last thing shown.
 * Step names are redacted before a line is cut to the width: a cut could split a credential
 * from the `@` that marks it.
 */
class LiveProgressView implements ProgressView {
  private readonly targets = new Map<string, LiveTargetState>();
  private readonly block: LiveBlock;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ProgressViewOptions) {
    this.block = new LiveBlock(options.stream);
  }

  update(label: string, event: BuildProgressEvent): void {
    // The engine's own bookkeeping steps would only flicker past in a compact view.
    if (event.name.startsWith('[internal]')) return;
    const state = this.stateOf(label);
    state.steps.add(event.vertex);
    if (event.status === 'cached') state.cached.add(event.vertex);
    if (event.logs.length === 0 || !state.current) state.current = { ...event, name: redact(event.name), logs: [] };
    this.draw();
  }

  finish(label: string, outcome: TargetOutcome, durationMs: number): void {
    this.stateOf(label).outcome = { result: outcome, durationMs };
    this.draw();
  }

  print(text: string): void {
    this.block.print(redact(text));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    process.off('exit', this.clearOnExit);
    this.block.clear();
  }

  /** A second Ctrl-C exits at once, past every `finally`: the view still leaves the screen. */
  private readonly clearOnExit = () => this.block.clear();

  private stateOf(label: string): LiveTargetState {
    let state = this.targets.get(label);
    if (!state) {
      state = { steps: new Set(), cached: new Set() };
      this.targets.set(label, state);
    }
    if (!this.timer && !this.closed) {
      this.timer = setInterval(() => this.draw(), this.options.refreshMs ?? 250);
      this.timer.unref();
      process.on('exit', this.clearOnExit);
    }
    return state;
  }

  private draw(): void {
    const now = this.options.now?.() ?? new Date();
    const width = (this.options.stream.columns ?? 80) - 1;
    this.block.render([...this.targets].map(([label, state]) => formatLiveLine(label, state, now, width)));
  }
}

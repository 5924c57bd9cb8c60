import type { BuildProgressEvent, StepStatus } from '../types';
import type { FailedStep, TraceStatusResponse, TraceVertex } from './types';

/** How BuildKit marks a step it stopped because another one failed. */
const CANCELED = /\bcontext canceled\b|\bcanceled\b$/;

/** Output lines kept per step: enough to explain a failure, bounded for long builds. */
export const LOG_TAIL_LINES = 15;

const DOCKERFILE_STEP = /^\[(?:[^\]\s]+ )?\d+\/\d+\] /;
const FROM_STEP = /^\[[^\]]+\] FROM /;

interface StepState {
  vertex: string;
  step: number;
  name: string;
  status?: StepStatus;
  started?: Date;
  completed?: Date;
  error?: string;
  cached: boolean;
  tail: string[];
  partial: string;
}

/**
 * The state of one build, folded from the engine's trace messages: which steps exist, how
 * each ended, and the last lines each printed. `apply` returns what changed as events, so
 * rendering stays separate from decoding.
 */
export class BuildTrace {
  private readonly steps = new Map<string, StepState>();

  apply(response: TraceStatusResponse): BuildProgressEvent[] {
    const events: BuildProgressEvent[] = [];
    for (const vertex of response.vertexes) {
      const state = this.stepFor(vertex.digest, vertex.name);
      const status = statusOf(vertex);
      state.started = vertex.started ?? state.started;
      state.completed = vertex.completed ?? state.completed;
      state.cached = state.cached || vertex.cached;
      if (vertex.error) state.error = vertex.error;
      if (status && status !== state.status) {
        state.status = status;
        events.push(this.event(state, []));
      }
    }
    const linesByVertex = new Map<string, string[]>();
    for (const log of response.logs) {
      const state = this.stepFor(log.vertex, '');
      const lines = splitLines(state, log.data.toString('utf8'));
      if (lines.length === 0) continue;
      state.tail.push(...lines);
      if (state.tail.length > LOG_TAIL_LINES) state.tail.splice(0, state.tail.length - LOG_TAIL_LINES);
      linesByVertex.set(log.vertex, [...(linesByVertex.get(log.vertex) ?? []), ...lines]);
    }
    for (const [vertex, lines] of linesByVertex) {
      const state = this.steps.get(vertex)!;
      events.push(this.event(state, lines));
    }
    return events;
  }

  /**
   * The step that failed: the one the engine marked with an error, else the last still running.
   * When one step fails, BuildKit cancels the steps running beside it ("context canceled"):
   * those are marked with an error too, but the cause is the step that failed on its own.
   */
  failedStep(): FailedStep | undefined {
    const all = [...this.steps.values()];
    const errored = all.filter((s) => s.error);
    const failed =
      errored.filter((s) => !CANCELED.test(s.error!)).pop() ??
      errored.pop() ??
      all.filter((s) => s.started && !s.completed).pop();
    if (!failed) return undefined;
    const tail = failed.partial ? [...failed.tail, failed.partial].slice(-LOG_TAIL_LINES) : failed.tail;
    return { step: failed.step, name: failed.name, error: failed.error, tail };
  }

  /**
   * Dockerfile instructions (`[stage 2/5] RUN ...`) that ran or came from cache. Not counted:
   * the engine's bookkeeping (`[internal] ...`, `exporting to image`) and FROM, which only
   * resolves an image and is never reported as cached, so a warm rebuild counts all cached.
   */
  counts(): { steps: number; cachedSteps: number } {
    const real = [...this.steps.values()].filter(
      (s) => s.status && DOCKERFILE_STEP.test(s.name) && !FROM_STEP.test(s.name),
    );
    return { steps: real.length, cachedSteps: real.filter((s) => s.cached).length };
  }

  private stepFor(vertex: string, name: string): StepState {
    let state = this.steps.get(vertex);
    if (!state) {
      state = { vertex, step: this.steps.size + 1, name, cached: false, tail: [], partial: '' };
      this.steps.set(vertex, state);
    } else if (name && !state.name) {
      state.name = name;
    }
    return state;
  }

  private event(state: StepState, logs: string[]): BuildProgressEvent {
    return {
      vertex: state.vertex,
      step: state.step,
      name: state.name,
      status: state.status ?? 'started',
      started: state.started,
      completed: state.completed,
      error: state.error,
      logs,
    };
  }
}

function statusOf(vertex: TraceVertex): StepStatus | undefined {
  if (vertex.error) return 'error';
  if (vertex.cached) return 'cached';
  if (vertex.completed) return 'completed';
  if (vertex.started) return 'started';
  return undefined;
}

/** Complete lines of a chunk; an unterminated end waits for the next chunk of the same step. */
function splitLines(state: StepState, text: string): string[] {
  const parts = (state.partial + text).split(/\r?\n|\r/);
  state.partial = parts.pop() ?? '';
  return parts.filter((line) => line.length > 0);
}

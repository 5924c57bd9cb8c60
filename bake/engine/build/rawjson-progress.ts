import type { RawjsonChunk, TraceLog, TraceStatus, TraceStatusResponse, TraceVertex } from './types';

/**
 * What `docker buildx build --progress=rawjson` writes on stderr: BuildKit's SolveStatus as
 * indented JSON objects, one after another (each opens with `{` and closes with `}` alone at the
 * start of a line), followed on failure by plain text (the Dockerfile excerpt, `ERROR: ...`).
 * The objects carry the same vertexes, statuses and logs as the engine's `moby.buildkit.trace`
 * messages, so they are turned into the same TraceStatusResponse and BuildTrace folds both.
 */
export class RawjsonSplitter {
  private partial = '';
  private object: string[] | undefined;

  /** Feeds a chunk of stderr; returns what it completed. */
  push(chunk: string): RawjsonChunk {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    return this.consume(lines);
  }

  /** The end of the stream: a last unterminated line counts as text (an object cut short is dropped). */
  end(): RawjsonChunk {
    const rest = this.partial;
    this.partial = '';
    const out = rest ? this.consume([rest]) : { responses: [], text: [] };
    this.object = undefined;
    return out;
  }

  private consume(lines: string[]): RawjsonChunk {
    const out: RawjsonChunk = { responses: [], text: [] };
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (this.object) {
        this.object.push(line);
        if (line === '}') {
          const response = parseSolveStatus(this.object.join('\n'));
          if (response) out.responses.push(response);
          else out.text.push(...this.object);
          this.object = undefined;
        }
      } else if (line === '{') {
        this.object = [line];
      } else if (line === '{}') {
        // An empty status: nothing changed.
      } else if (line.trim()) {
        out.text.push(line);
      }
    }
    return out;
  }
}

interface RawVertex {
  digest?: string;
  inputs?: string[];
  name?: string;
  cached?: boolean;
  started?: string;
  completed?: string;
  error?: string;
}

interface RawStatus {
  id?: string;
  vertex?: string;
  name?: string;
  current?: number;
  total?: number;
  started?: string;
  completed?: string;
}

interface RawLog {
  vertex?: string;
  stream?: number;
  data?: string;
  timestamp?: string;
}

/** One SolveStatus object as a trace response; undefined for text that only looked like one. */
export function parseSolveStatus(json: string): TraceStatusResponse | undefined {
  let raw: { vertexes?: RawVertex[]; statuses?: RawStatus[]; logs?: RawLog[] };
  try {
    raw = JSON.parse(json) as typeof raw;
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  return {
    vertexes: (raw.vertexes ?? []).map((v): TraceVertex => ({
      digest: v.digest ?? '',
      inputs: v.inputs ?? [],
      name: v.name ?? '',
      cached: v.cached === true,
      started: toDate(v.started),
      completed: toDate(v.completed),
      error: v.error || undefined,
    })),
    statuses: (raw.statuses ?? []).map((s): TraceStatus => ({
      id: s.id ?? '',
      vertex: s.vertex ?? '',
      name: s.name ?? '',
      current: s.current ?? 0,
      total: s.total ?? 0,
      started: toDate(s.started),
      completed: toDate(s.completed),
    })),
    logs: (raw.logs ?? []).map((l): TraceLog => ({
      vertex: l.vertex ?? '',
      timestamp: toDate(l.timestamp),
      stream: l.stream ?? 1,
      // Go's encoding/json writes []byte as base64.
      data: Buffer.from(l.data ?? '', 'base64'),
    })),
  };
}

function toDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The bytes of build context buildx sent: its `transferring context:` status counts them. */
export function contextBytesOf(response: TraceStatusResponse, sofar: number): number {
  let bytes = sofar;
  for (const status of response.statuses)
    if (status.id.startsWith('transferring context')) bytes = Math.max(bytes, status.current);
  return bytes;
}

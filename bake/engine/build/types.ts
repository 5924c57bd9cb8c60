import type { Readable } from 'node:stream';
import type { BuildProgressEvent } from '../types';

/** A build step of BuildKit's StatusResponse, as the engine's trace messages and buildx's rawjson carry it. */
export interface TraceVertex {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  started?: Date;
  completed?: Date;
  error?: string;
}

export interface TraceStatus {
  id: string;
  vertex: string;
  name: string;
  current: number;
  total: number;
  started?: Date;
  completed?: Date;
}

export interface TraceLog {
  vertex: string;
  timestamp?: Date;
  /** 1 stdout, 2 stderr. */
  stream: number;
  data: Buffer;
}

export interface TraceStatusResponse {
  vertexes: TraceVertex[];
  statuses: TraceStatus[];
  logs: TraceLog[];
}

export interface FailedStep {
  step: number;
  name: string;
  error?: string;
  tail: string[];
}

/** A piece of buildx's `--progress=rawjson` output: the status objects it held, and its plain lines. */
export interface RawjsonChunk {
  responses: TraceStatusResponse[];
  /** Lines outside any JSON object, as buildx printed them. */
  text: string[];
}

/** One JSON message of the engine's build response (Docker's jsonmessage stream). */
export interface BuildMessage {
  id?: string;
  stream?: string;
  status?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** A context being uploaded, and how many bytes of it the engine has read so far. */
export interface PackedContext {
  stream: Readable;
  bytes(): number;
  destroy(): void;
}

export type TargetOutcome = 'built' | 'vetted' | 'rejected' | 'failed' | 'interrupted';

/** Shows the progress of one or more concurrent builds, one label per build (the target). */
export interface ProgressView {
  update(label: string, event: BuildProgressEvent): void;
  finish(label: string, outcome: TargetOutcome, durationMs: number): void;
  /** A log line, printed above a live view rather than through it. */
  print(text: string): void;
  /** Takes a live view off the screen; what is printed after it goes straight to the stream. */
  close(): void;
}

export interface LiveTargetState {
  current?: BuildProgressEvent;
  steps: Set<string>;
  cached: Set<string>;
  outcome?: { result: TargetOutcome; durationMs: number };
}

/** An entry of the engine's image history API (`docker history`), oldest first here. */
export interface HistoryItem {
  /** Seconds since the epoch. */
  created: number;
  createdBy: string;
  comment: string;
  /** Bytes of the layer the entry made; 0 for an entry that made none, and for an empty layer. */
  size: number;
}

/** The image a stage starts from, as the engine's inspect and history APIs give it. */
export interface SourceImage {
  architecture: string;
  os: string;
  variant?: string;
  /** Inspect's `Config`. */
  config: Record<string, unknown>;
  diffIds: string[];
  history: HistoryItem[];
}

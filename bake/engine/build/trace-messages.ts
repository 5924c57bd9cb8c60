import * as protobuf from 'protobufjs';
import type { TraceStatusResponse } from './types';

/**
 * The part of BuildKit's control.proto (`moby.buildkit.v1.StatusResponse`) that the engine
 * sends as `moby.buildkit.trace` aux messages, declared here by reflection: field numbers
 * are BuildKit's wire contract, so no .proto file needs to be fetched or vendored.
 */
const timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

export const traceRoot = protobuf.Root.fromJSON({
  nested: {
    google: { nested: { protobuf: { nested: { Timestamp: timestamp } } } },
    moby: {
      nested: {
        buildkit: {
          nested: {
            v1: {
              nested: {
                StatusResponse: {
                  fields: {
                    vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
                    statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
                    logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
                  },
                },
                Vertex: {
                  fields: {
                    digest: { type: 'string', id: 1 },
                    inputs: { rule: 'repeated', type: 'string', id: 2 },
                    name: { type: 'string', id: 3 },
                    cached: { type: 'bool', id: 4 },
                    started: { type: 'google.protobuf.Timestamp', id: 5 },
                    completed: { type: 'google.protobuf.Timestamp', id: 6 },
                    error: { type: 'string', id: 7 },
                  },
                },
                VertexStatus: {
                  fields: {
                    ID: { type: 'string', id: 1 },
                    vertex: { type: 'string', id: 2 },
                    name: { type: 'string', id: 3 },
                    current: { type: 'int64', id: 4 },
                    total: { type: 'int64', id: 5 },
                    timestamp: { type: 'google.protobuf.Timestamp', id: 6 },
                    started: { type: 'google.protobuf.Timestamp', id: 7 },
                    completed: { type: 'google.protobuf.Timestamp', id: 8 },
                  },
                },
                VertexLog: {
                  fields: {
                    vertex: { type: 'string', id: 1 },
                    timestamp: { type: 'google.protobuf.Timestamp', id: 2 },
                    stream: { type: 'int64', id: 3 },
                    msg: { type: 'bytes', id: 4 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

export const StatusResponseType = traceRoot.lookupType('moby.buildkit.v1.StatusResponse');

interface RawTimestamp {
  seconds?: number;
  nanos?: number;
}

function toDate(ts: RawTimestamp | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date((ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6));
}

/** Decodes one trace payload (the aux value: base64 of a StatusResponse). */
export function decodeTrace(base64: string): TraceStatusResponse {
  const message = StatusResponseType.decode(Buffer.from(base64, 'base64'));
  const raw = StatusResponseType.toObject(message, { longs: Number, arrays: true, defaults: false }) as {
    vertexes: Array<Record<string, unknown>>;
    statuses: Array<Record<string, unknown>>;
    logs: Array<Record<string, unknown>>;
  };
  return {
    vertexes: raw.vertexes.map((v) => ({
      digest: text(v.digest),
      inputs: (v.inputs as string[] | undefined) ?? [],
      name: text(v.name),
      cached: v.cached === true,
      started: toDate(v.started as RawTimestamp | undefined),
      completed: toDate(v.completed as RawTimestamp | undefined),
      error: v.error ? text(v.error) : undefined,
    })),
    statuses: raw.statuses.map((s) => ({
      id: text(s.ID),
      vertex: text(s.vertex),
      name: text(s.name),
      current: Number(s.current ?? 0),
      total: Number(s.total ?? 0),
      started: toDate(s.started as RawTimestamp | undefined),
      completed: toDate(s.completed as RawTimestamp | undefined),
    })),
    logs: raw.logs.map((l) => ({
      vertex: text(l.vertex),
      timestamp: toDate(l.timestamp as RawTimestamp | undefined),
      stream: Number(l.stream ?? 1),
      data: Buffer.from((l.msg as Uint8Array | undefined) ?? new Uint8Array()),
    })),
  };
}

/** A decoded protobuf field that should be text: anything else is shown as JSON, never "[object Object]". */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

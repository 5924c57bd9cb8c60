import { StatusResponseType } from '../../../../bake/engine/build/trace-messages';

export const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

export const ts = (iso: string) => {
  const ms = Date.parse(iso);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
};

/** A StatusResponse as BuildKit sends it: protobuf, then base64 in the aux field. */
export function encodeTrace(value: Record<string, unknown>): string {
  const message = StatusResponseType.fromObject(value);
  return Buffer.from(StatusResponseType.encode(message).finish()).toString('base64');
}

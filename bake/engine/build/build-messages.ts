import type { Readable } from 'node:stream';
import type { BuildMessage } from './types';

/**
 * The messages of a build response in order. The engine separates them with CRLF but a
 * chunk may end mid-message, so bytes are buffered up to the next line break.
 */
export async function* buildMessages(stream: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<BuildMessage> {
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield parseMessage(line);
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim()) yield parseMessage(pending.trim());
}

function parseMessage(line: string): BuildMessage {
  try {
    return JSON.parse(line) as BuildMessage;
  } catch {
    // A proxy or an old engine may interleave plain text; keep it visible as output.
    return { stream: line };
  }
}

/** The error a message reports, if any: `errorDetail.message` first, as `docker build` does. */
export function messageError(message: BuildMessage): string | undefined {
  return message.errorDetail?.message || message.error || undefined;
}

/** The built image's id from the final `moby.image.id` aux message (BuildKit) or the classic `aux.ID`. */
export function messageImageId(message: BuildMessage): string | undefined {
  const aux = message.aux as { ID?: unknown } | undefined;
  if (aux && typeof aux === 'object' && typeof aux.ID === 'string') return aux.ID;
  return undefined;
}

export const TRACE_ID = 'moby.buildkit.trace';

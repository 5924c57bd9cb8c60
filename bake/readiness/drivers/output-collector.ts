import { Writable } from 'node:stream';

/** Keeps the first `limit` bytes of a stream and counts the rest, so a chatty command cannot exhaust memory. */
export class OutputCollector extends Writable {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.parts.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
    done();
  }

  text(): string {
    const body = Buffer.concat(this.parts).toString('utf8');
    return this.dropped > 0 ? `${body}\n... (${this.dropped} more bytes not kept)` : body;
  }
}

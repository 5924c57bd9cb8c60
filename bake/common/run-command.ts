import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRunner } from './types';

/** What a caller keeps of a chatty program (mmdebstrap, apt-get install): the end of each stream. */
export const OUTPUT_TAIL = 64 * 1024;

/**
 * Runs a program without a shell and collects its output. A non-zero exit is a result,
 * not an exception: callers decide what it means (and what to retry).
 */
export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C.UTF-8', ...(options.env ?? process.env) },
      signal: options.signal,
    });
    const stdout = collect(child.stdout, options.keepTail);
    const stderr = collect(child.stderr, options.keepTail);
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout: stdout(), stderr: stderr() }),
    );
  });

/** Decodes as it goes, so a character split across two chunks is not garbled. */
function collect(stream: NodeJS.ReadableStream, keepTail = Infinity): () => string {
  const decoder = new StringDecoder('utf8');
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += decoder.write(chunk);
    if (text.length > keepTail) text = text.slice(-keepTail);
  });
  return () => (text + decoder.end()).slice(-keepTail);
}

/** The last `count` non-empty lines of a command's combined output. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}

import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one program (apt-get, apt-cache, dpkg) without a shell. A parameter of the Debian
 * source so unit tests can answer for apt.
 */
export type CommandRunner = (command: string, args: string[], options?: { cwd?: string }) => Promise<CommandResult>;

export const spawnCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // apt's messages are parsed and shown to users: keep them in English, never interactive.
      env: { ...process.env, LC_ALL: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });

/** The last meaningful line of a failed command's output, for a one-line error message. */
export function lastErrorLine(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /^(E|Err):/.test(l));
  return (errors[0] ?? lines[lines.length - 1] ?? `exit code ${result.code}`).replace(/^E:\s*/, '');
}

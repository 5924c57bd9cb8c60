import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { shellQuote } from '../../common/shell-quote';
import { loginShellArgv } from '../../readiness/drivers/container-driver';
import type { Driver, ExecOptions, ExecResult } from '../../readiness/types';

/**
 * A host reached with the system's `ssh` client (its config, keys and agent; bake handles no
 * secret). The login needs passwordless sudo, since checks run as root or the build user.
 */
export interface SshDriverOptions {
  /** Extra ssh arguments, e.g. ['-o', 'ProxyJump=bastion']. */
  sshOptions?: string[];
  /** The ssh program (a path, or a name on PATH). */
  program?: string;
}

export class SshDriver implements Driver {
  constructor(
    private readonly destination: string,
    private readonly options: SshDriverOptions = {},
  ) {}

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const inner = opts.loginShell
      ? loginShellArgv(argv, opts.env ?? {})
      : ['env', ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`), ...argv];
    const sudo = opts.user ? ['sudo', '-n', '-u', opts.user, '--'] : [];
    const result = await this.ssh([...sudo, ...inner].map(shellQuote).join(' '));
    return { exitCode: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    // Exit 3 tells "no such file" from a failed read.
    const result = await this.ssh(`sudo -n test -e ${shellQuote(path)} || exit 3; sudo -n cat -- ${shellQuote(path)}`);
    if (result.code === 3) return undefined;
    if (result.code !== 0)
      throw new Error(`reading ${path} on ${this.destination}: ${result.stderr.toString('utf8').trim()}`);
    return result.stdout;
  }

  async close(): Promise<void> {}

  /**
   * Runs a bash script as root on the host, with `args`. The script travels on stdin and is read
   * whole before it starts, so nothing it runs can read the rest of it as input.
   */
  async runScript(script: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const runner = shellQuote('exec bash -c "$(cat)" bake-drift "$@"');
    const result = await this.ssh(`sudo -n bash -c ${runner} bake-drift ${args.map(shellQuote).join(' ')}`, script);
    return { exitCode: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
  }

  private ssh(command: string, input?: string): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
    return new Promise((resolve, reject) => {
      const args = ['-o', 'BatchMode=yes', ...(this.options.sshOptions ?? []), '--', this.destination, command];
      const child = spawn(this.options.program ?? 'ssh', args, {
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      }) as ChildProcessWithoutNullStreams;
      // A host that closes early (auth failure) must not turn into an EPIPE crash.
      child.stdin?.on('error', () => undefined);
      if (input !== undefined) child.stdin.end(input);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ code: code ?? 255, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }),
      );
    });
  }
}

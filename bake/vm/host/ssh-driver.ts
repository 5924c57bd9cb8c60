import { spawn } from 'node:child_process';
import { shellQuote } from '../../common/shell-quote';
import { loginShellArgv } from '../../readiness/drivers/container-driver';
import { OutputCollector } from '../../readiness/drivers/output-collector';
import type { Driver, ExecOptions, ExecResult } from '../../readiness/types';

/** Bytes of stdout (and of stderr) kept per command, as the container driver keeps. */
const EXEC_OUTPUT_LIMIT = 4 * 1024 * 1024;

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
    const result = await this.ssh([...sudo, ...inner].map(shellQuote).join(' '), {
      outputLimit: EXEC_OUTPUT_LIMIT,
      timeoutMs: opts.timeoutMs,
    });
    if (result.timedOut) throw new Error(`"${argv.join(' ')}" did not finish within ${opts.timeoutMs! / 1000} s`);
    return { exitCode: result.code, stdout: result.stdout, stderr: result.stderr };
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    // Exit 3 tells "no such file" from a failed read.
    const result = await this.sshRaw(
      `sudo -n test -e ${shellQuote(path)} || exit 3; sudo -n cat -- ${shellQuote(path)}`,
    );
    if (result.code === 3) return undefined;
    if (result.code !== 0)
      throw new Error(`reading ${path} on ${this.destination}: ${result.stderr.toString('utf8').trim()}`);
    return result.stdout;
  }

  async close(): Promise<void> {}

  /**
   * Runs a bash script as root on the host, with `args`. The script travels on stdin and is read
   * whole before it starts, so nothing it runs can read the rest of it as input. Its output is
   * kept whole (a tree's listings are megabytes), as a file read is.
   */
  async runScript(script: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const runner = shellQuote('exec bash -c "$(cat)" bake-drift "$@"');
    const result = await this.sshRaw(`sudo -n bash -c ${runner} bake-drift ${args.map(shellQuote).join(' ')}`, script);
    return { exitCode: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
  }

  /**
   * A command's output as checks see it: at most `outputLimit` bytes of each stream kept (a
   * chatty command cannot exhaust memory), and the ssh client ended at `timeoutMs`, which
   * closes the session and so hangs up the remote command.
   */
  private ssh(
    command: string,
    options: { outputLimit: number; timeoutMs?: number },
  ): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
    return new Promise((resolve, reject) => {
      const args = ['-o', 'BatchMode=yes', ...(this.options.sshOptions ?? []), '--', this.destination, command];
      const child = spawn(this.options.program ?? 'ssh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout = new OutputCollector(options.outputLimit);
      const stderr = new OutputCollector(options.outputLimit);
      child.stdout.pipe(stdout);
      child.stderr.pipe(stderr);
      const done = (code: number, timedOut: boolean) => {
        clearTimeout(timer);
        resolve({ code, stdout: stdout.text(), stderr: stderr.text(), timedOut });
      };
      // At the deadline the client is killed and its pipes let go of at once: whatever it
      // started may hold them open a while longer, and the check is not kept waiting for that.
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              child.kill('SIGKILL');
              child.stdout.destroy();
              child.stderr.destroy();
              done(255, true);
            }, options.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => done(code ?? 255, false));
    });
  }

  /** A file's bytes, whole (readFile has its own bounds: it reads what checks name); `input` goes to stdin. */
  private sshRaw(command: string, input?: string): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
    return new Promise((resolve, reject) => {
      const args = ['-o', 'BatchMode=yes', ...(this.options.sshOptions ?? []), '--', this.destination, command];
      const child = spawn(this.options.program ?? 'ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
      // A host that closes early (an auth failure) must not turn into an EPIPE crash.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
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

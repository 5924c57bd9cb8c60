import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { shellQuote } from '../../common/shell-quote';
import { sleep } from '../../common/sleep';
import type { Driver, ExecOptions, ExecResult, ImageConfig, LayerFile } from '../types';
import { DockerImageInspector } from './image-driver';
import { OutputCollector } from './output-collector';
import { readinessLabels } from './readiness-labels';
import { PROBE_PATH } from '../../render/probe';

export interface ContainerDriverOptions {
  runId: string;
  logger: Logger;
  /** Per command; emulated arm64 compiles are slow, so the default is generous. */
  execTimeoutMs?: number;
  /** Bytes of stdout (and of stderr) kept per command. */
  outputLimit?: number;
  /**
   * bake's static readiness probe for the image's platform. It is copied into the container
   * (at PROBE_PATH) before it starts and keeps it alive, so an image needs neither a shell nor
   * `sleep`; the image itself never carries it. Without it, the image's own `sleep` is used.
   */
  probe?: Buffer;
}

const READ_FILE_MAX = 256 * 1024 * 1024;
const SYMLINK_HOPS = 16;
/** Login shells start like a console login: login(1)'s default PATH, nothing else inherited. */
const LOGIN_PATH = '/usr/local/bin:/usr/bin:/bin';
const LOGIN_WRAPPER = 'if command -v bash >/dev/null 2>&1; then exec bash -lc "$1"; fi; exec sh -lc "$1"';

/**
 * One container from the image, kept alive with `sleep infinity` and networking disabled (a
 * check must never reach out), into which checks exec; the image's config and layers come
 * from the engine API. `close()` removes the container.
 */
export class ContainerDriver implements Driver {
  private readonly inspector: DockerImageInspector;

  private constructor(
    private readonly docker: Dockerode,
    private readonly container: Dockerode.Container,
    image: string,
    private readonly options: ContainerDriverOptions,
  ) {
    this.inspector = new DockerImageInspector(docker, image);
  }

  static async start(docker: Dockerode, image: string, options: ContainerDriverOptions): Promise<ContainerDriver> {
    const keepAlive = options.probe ? [PROBE_PATH, 'sleep'] : ['sleep', 'infinity'];
    const container = await docker.createContainer({
      Image: image,
      Entrypoint: [keepAlive[0]],
      Cmd: keepAlive.slice(1),
      Labels: readinessLabels(options.runId),
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', AutoRemove: false },
    });
    const driver = new ContainerDriver(docker, container, image, options);
    try {
      if (options.probe) await container.putArchive(await probeArchive(options.probe), { path: '/' });
      await container.start();
      const state = (await container.inspect()).State;
      if (!state.Running) {
        const error = state.Error ? `: ${state.Error}` : '';
        throw new BakeError(
          `cannot keep a container of ${image} running with "${keepAlive.join(' ')}" ` +
            `(exit ${state.ExitCode}${error})`,
          ExitCode.CheckFailed,
        );
      }
    } catch (err) {
      await driver.close();
      throw err;
    }
    options.logger.debug(`readiness container ${container.id.slice(0, 12)} started from ${image}`);
    return driver;
  }

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const cmd = opts.loginShell ? loginShellArgv(argv, opts.env ?? {}) : argv;
    const env = opts.loginShell ? undefined : Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const exec = await this.container.exec({
      Cmd: cmd,
      User: opts.user ?? '',
      Env: env,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: false,
      Tty: false,
    });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Readable;
    const limit = this.options.outputLimit ?? 4 * 1024 * 1024;
    const stdout = new OutputCollector(limit);
    const stderr = new OutputCollector(limit);
    this.docker.modem.demuxStream(stream, stdout, stderr);
    const timeoutMs = opts.timeoutMs ?? this.options.execTimeoutMs ?? 15 * 60 * 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', reject);
        timer = setTimeout(
          () => reject(new Error(`"${argv.join(' ')}" did not finish within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      stream.destroy();
    }
    return { exitCode: await exitCodeOf(exec), stdout: stdout.text(), stderr: stderr.text() };
  }

  async readFile(path: string): Promise<Buffer | undefined> {
    let current = path;
    for (let hop = 0; hop <= SYMLINK_HOPS; hop++) {
      const entry = await this.readEntry(current);
      if (entry.kind === 'missing') return undefined;
      if (entry.kind === 'file') return entry.content;
      current = posix.resolve(posix.dirname(current), entry.target);
    }
    throw new Error(`${path}: more than ${SYMLINK_HOPS} symlinks`);
  }

  imageConfig(): Promise<ImageConfig> {
    return this.inspector.imageConfig();
  }

  layerFiles(): AsyncIterable<LayerFile> {
    return this.inspector.layerFiles();
  }

  async close(): Promise<void> {
    try {
      await this.container.remove({ force: true });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }

  /** One path through the archive API, which returns a symlink itself rather than its target. */
  private async readEntry(
    path: string,
  ): Promise<{ kind: 'missing' } | { kind: 'file'; content: Buffer } | { kind: 'symlink'; target: string }> {
    let archive: Readable;
    try {
      archive = (await this.container.getArchive({ path })) as Readable;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { kind: 'missing' };
      throw err;
    }
    const extract = tar.extract();
    archive.on('error', (err) => extract.destroy(err));
    archive.pipe(extract);
    try {
      for await (const entry of extract) {
        const h = entry.header;
        if (h.type === 'symlink' && h.linkname) return { kind: 'symlink', target: h.linkname };
        if (h.type !== 'file') throw new Error(`${path} is a ${h.type ?? 'special file'}, not a file`);
        if ((h.size ?? 0) > READ_FILE_MAX)
          throw new Error(`${path} is ${h.size} bytes, over the ${READ_FILE_MAX}-byte limit`);
        const parts: Buffer[] = [];
        for await (const chunk of entry) parts.push(chunk as Buffer);
        return { kind: 'file', content: Buffer.concat(parts) };
      }
      return { kind: 'missing' };
    } finally {
      extract.destroy();
      archive.destroy();
    }
  }
}

/** The probe as a tar for the archive API: root-owned and executable by every user, under PROBE_PATH. */
export async function probeArchive(probe: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  const common = { mode: 0o755, uid: 0, gid: 0, mtime: new Date(0) };
  pack.entry({ ...common, name: `${posix.dirname(PROBE_PATH).slice(1)}/`, type: 'directory' });
  pack.entry({ ...common, name: PROBE_PATH.slice(1), type: 'file' }, probe);
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const chunk of pack) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Runs argv in a login shell (bash when present) from an empty environment plus `env`. */
export function loginShellArgv(argv: string[], env: Record<string, string>): string[] {
  const vars = { PATH: LOGIN_PATH, ...env };
  return [
    'env',
    '-i',
    ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
    'sh',
    '-c',
    LOGIN_WRAPPER,
    'sh',
    argv.map(shellQuote).join(' '),
  ];
}

/** The stream can end a moment before the engine records the exit code. */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await sleep(20);
  }
  throw new Error('the engine did not report an exit code for the command');
}

import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { OutputCollector } from '../../bake/readiness/drivers/output-collector';

export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A command in a running container (root by default), as `docker exec` runs it; output kept whole. */
export async function execIn(
  docker: Dockerode,
  container: Dockerode.Container,
  cmd: string[],
  options: { user?: string; env?: Record<string, string> } = {},
): Promise<ExecOutput> {
  const run = await container.exec({
    Cmd: cmd,
    Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
    User: options.user ?? 'root',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await run.start({ hijack: true, stdin: false })) as unknown as Readable;
  const stdout = new OutputCollector(64 * 1024 * 1024);
  const stderr = new OutputCollector(64 * 1024 * 1024);
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise((resolve, reject) => stream.on('end', resolve).on('close', resolve).on('error', reject));
  let info = await run.inspect();
  while (info.Running) info = await new Promise((r) => setTimeout(r, 20)).then(() => run.inspect());
  if (process.env.BAKE_TEST_VERBOSE) process.stderr.write(stdout.text() + stderr.text());
  return { exitCode: info.ExitCode ?? -1, stdout: stdout.text(), stderr: stderr.text() };
}

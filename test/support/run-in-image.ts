import type Dockerode from 'dockerode';
import { OutputCollector } from '../../bake/readiness/drivers/output-collector';

/** Runs `cmd` in a fresh container of `image` (no network) and returns its exit code and output. */
export async function runInImage(
  docker: Dockerode,
  image: string,
  cmd: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = new OutputCollector(1024 * 1024);
  const stderr = new OutputCollector(1024 * 1024);
  const [result, container] = (await docker.run(image, cmd, [stdout, stderr], {
    Tty: false,
    HostConfig: { NetworkMode: 'none' },
  })) as [{ StatusCode: number }, Dockerode.Container];
  await container.remove({ force: true });
  return { exitCode: result.StatusCode, stdout: stdout.text(), stderr: stderr.text() };
}

import type Dockerode from 'dockerode';
import type { Driver, FileStat } from '../types';
import { archiveStat } from './archive-stat';
import { readinessLabels } from './readiness-labels';

/**
 * `driver` with `stat` added for an image: paths are looked up in a container created from the
 * image and never started (nothing in the image runs, so an image without a shell or a stat
 * binary works the same). The container is created on the first `stat` only, labeled like the
 * suite's own (an interrupted run's cleanup finds it) and removed by `close()`.
 */
export function withImageStat(driver: Driver, docker: Dockerode, image: string, runId: string): Driver {
  if (driver.stat) return driver;
  let view: Promise<Dockerode.Container> | undefined;
  const container = () =>
    (view ??= docker.createContainer({
      Image: image,
      // Never started: an entrypoint is only needed because an image may have none.
      Entrypoint: ['/bake-stat-only'],
      Cmd: [],
      Labels: readinessLabels(runId),
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none' },
    }));
  const wrapped: Driver = {
    exec: (argv, opts) => driver.exec(argv, opts),
    readFile: (path) => driver.readFile(path),
    stat: async (path): Promise<FileStat | undefined> => archiveStat(await container(), path),
    close: async () => {
      try {
        // A view that could not be created has nothing to remove.
        const created = await view?.catch(() => undefined);
        if (created) await created.remove({ force: true });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      } finally {
        await driver.close();
      }
    },
  };
  if (driver.imageConfig) wrapped.imageConfig = () => driver.imageConfig!();
  if (driver.layerFiles) wrapped.layerFiles = () => driver.layerFiles!();
  return wrapped;
}

import type Dockerode from 'dockerode';
import { READINESS_LABEL, RUN_ID_LABEL } from './readiness-labels';

/**
 * Removes readiness containers left behind by an interrupted run (all of them, or one run's).
 * Returns the ids removed.
 */
export async function removeReadinessContainers(docker: Dockerode, runId?: string): Promise<string[]> {
  const label = runId ? [`${READINESS_LABEL}=1`, `${RUN_ID_LABEL}=${runId}`] : [`${READINESS_LABEL}=1`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const removed: string[] = [];
  for (const c of containers) {
    try {
      await docker.getContainer(c.Id).remove({ force: true });
      removed.push(c.Id);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return removed;
}

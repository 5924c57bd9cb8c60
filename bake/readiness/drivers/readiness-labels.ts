/** Labels on every container a readiness run starts, so leftovers can be found and removed. */
export const READINESS_LABEL = 'io.bake.readiness';
export const RUN_ID_LABEL = 'io.bake.run-id';

export function readinessLabels(runId: string): Record<string, string> {
  return { [READINESS_LABEL]: '1', [RUN_ID_LABEL]: runId };
}

import type { DockerEngine } from '../../bake/engine/docker-engine';

/** An image kind's id on an engine. */
export type Ids = Record<string, string>;

/** What an image's id is made of: its layers, its config and its history, for a report. */
export async function describeImage(engine: DockerEngine, id: string): Promise<Record<string, string>> {
  const image = engine.docker.getImage(id);
  const inspected = await image.inspect();
  const history = (await image.history()) as Array<{ Created: number; CreatedBy: string; Comment: string }>;
  return {
    ...Object.fromEntries((inspected.RootFS.Layers ?? []).map((l, n) => [`layer ${n}`, l])),
    created: inspected.Created,
    config: JSON.stringify(inspected.Config),
    platform: `${inspected.Os}/${inspected.Architecture}`,
    ...Object.fromEntries(history.map((h, n) => [`history ${n}`, `${h.Created} ${h.CreatedBy} ${h.Comment}`])),
  };
}

/** Per image kind, each part of `b`'s image that is not `a`'s: empty when the images are the same. */
export async function imageDifferences(
  a: [DockerEngine, Ids],
  b: [DockerEngine, Ids],
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const kind of Object.keys(a[1])) {
    const [da, db] = [await describeImage(a[0], a[1][kind]), await describeImage(b[0], b[1][kind])];
    out[kind] = [...new Set([...Object.keys(da), ...Object.keys(db)])]
      .filter((k) => da[k] !== db[k])
      .map((k) => `${k}: ${da[k] ?? 'none'} -> ${db[k] ?? 'none'}`);
  }
  return out;
}

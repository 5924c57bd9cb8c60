import type { StageRequest } from '../types';
import type { SourceImage } from './types';

/** The diff id of a layer with no entries (BuildKit's WORKDIR and others make them). */
export const EMPTY_LAYER = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** The image config fields (OCI's and Docker's own) an image passes on; inspect adds container fields too. */
const IMAGE_CONFIG_FIELDS = [
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'ArgsEscaped',
  'Healthcheck',
  'OnBuild',
  'Shell',
] as const;

const COMMENT = 'bake';

/**
 * The config of `source` plus a stage, as the bytes the engine hashes into the image id:
 * fields in a fixed order, labels sorted, every new time the stage's `created`. The same
 * source and stage give the same bytes.
 */
export function stageConfig(
  source: SourceImage,
  stage: Pick<StageRequest, 'env' | 'labels' | 'user' | 'workdir' | 'created'>,
  layer: { diffId: string; files: string[] },
): Buffer {
  const created = isoSeconds(stage.created);
  const inherited: Record<string, unknown> = {};
  for (const field of IMAGE_CONFIG_FIELDS) {
    const value = source.config[field];
    if (value !== null && value !== undefined && value !== '' && value !== false) inherited[field] = value;
  }
  const labels = { ...((inherited.Labels as Record<string, string> | undefined) ?? {}), ...stage.labels };
  const config = {
    ...inherited,
    User: stage.user,
    Env: withEnv((inherited.Env as string[] | undefined) ?? [], stage.env),
    WorkingDir: stage.workdir,
    Labels: Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]]),
    ),
  };
  const pairs = (values: [string, string][]) => values.map(([k, v]) => `${k}=${v}`).join(' ');
  const added = [
    { created, created_by: `COPY ${layer.files.join(' ')} /`, comment: COMMENT },
    { created, created_by: `ENV ${pairs(stage.env)}`, comment: COMMENT, empty_layer: true },
    { created, created_by: `LABEL ${pairs(Object.entries(stage.labels))}`, comment: COMMENT, empty_layer: true },
    { created, created_by: `USER ${stage.user}`, comment: COMMENT, empty_layer: true },
    { created, created_by: `WORKDIR ${stage.workdir}`, comment: COMMENT, empty_layer: true },
  ];
  const inheritedHistory = historyEntries(source);
  const image = {
    architecture: source.architecture,
    config,
    created,
    // A history that cannot be matched to the layers is left out whole: OCI allows no history,
    // and a wrong one would pair layers with the wrong steps.
    ...(inheritedHistory ? { history: [...inheritedHistory, ...added] } : {}),
    os: source.os,
    rootfs: { type: 'layers', diff_ids: [...source.diffIds, layer.diffId] },
    ...(source.variant ? { variant: source.variant } : {}),
  };
  return Buffer.from(JSON.stringify(image), 'utf8');
}

/**
 * ENV's semantics: a variable the image has is replaced where it stands, a new one appended.
 */
export function withEnv(env: string[], set: [string, string][]): string[] {
  const out = [...env];
  for (const [key, value] of set) {
    const at = out.findIndex((e) => e.slice(0, e.indexOf('=') === -1 ? e.length : e.indexOf('=')) === key);
    if (at === -1) out.push(`${key}=${value}`);
    else out[at] = `${key}=${value}`;
  }
  return out;
}

/**
 * The source's history as config entries. The history API does not say which entries made a
 * layer: one with a size did, and one without made the next layer only when that layer is
 * empty. Undefined when the entries do not account for every layer exactly.
 */
export function historyEntries(source: Pick<SourceImage, 'history' | 'diffIds'>): object[] | undefined {
  let layer = 0;
  const entries = source.history.map((item) => {
    const made = item.size > 0 || source.diffIds[layer] === EMPTY_LAYER;
    if (made) layer++;
    return {
      created: isoSeconds(item.created),
      ...(item.createdBy ? { created_by: item.createdBy } : {}),
      ...(item.comment ? { comment: item.comment } : {}),
      ...(made ? {} : { empty_layer: true }),
    };
  });
  return layer === source.diffIds.length ? entries : undefined;
}

/** RFC 3339 in whole seconds, as BuildKit writes times. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

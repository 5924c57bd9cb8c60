import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '../common/atomic-write';
import type { Logger } from '../common/log';
import { connectEngine } from '../engine/daemon/embedded-engine';
import { imageContents, renderSbom } from '../sbom/image-sbom';
import type { SbomFormat } from '../sbom/types';

export interface SbomRunInput {
  image: string;
  format: SbomFormat;
  /** Written atomically; absent: returned for stdout. */
  out?: string;
  engine?: string;
  stateDir: string;
  logger: Logger;
}

export interface SbomRunResult {
  document: string;
  components: { packages: number; goBinaries: number; goModules: number; go?: string };
  durationMs: number;
}

/** `bake sbom`: the SBOM of any image in the engine, read from its layers. */
export async function runSbom(input: SbomRunInput): Promise<SbomRunResult> {
  const started = performance.now();
  const engine = await connectEngine({ stateDir: input.stateDir, logger: input.logger, endpoint: input.engine });
  const contents = await imageContents(engine.docker, input.image);
  for (const note of contents.notes) input.logger.warn(`${input.image}: ${note}`);
  const document = renderSbom(contents, input.format);
  if (input.out) await writeFileAtomic(input.out, document);
  const modules = new Set(contents.goBinaries.flatMap((b) => b.deps.map((d) => `${d.path}@${d.version}`)));
  return {
    document,
    components: {
      packages: contents.packages.length,
      goBinaries: contents.goBinaries.length,
      goModules: modules.size,
      ...(contents.go ? { go: contents.go.version } : {}),
    },
    durationMs: Math.round(performance.now() - started),
  };
}

import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { registryRef } from '../engine/build/buildx-argv';
import type { BuildkitRequest } from '../pipeline/types';
import { collect } from './global-options';

export interface BuildkitFlags {
  cacheTo?: string;
  cacheFrom: string[];
  provenance: boolean;
}

const NEEDS = 'needs docker buildx and an engine with the containerd image store (bake doctor tells)';

/** `--cache-to`, `--cache-from` and `--provenance`, as `bake build` and `bake nightly` take them. */
export function addBuildkitOptions(command: Command): Command {
  return command
    .option(
      '--cache-to <registry/repo>',
      `export each image's build cache to REPO:<target>-<image> (mode=max); ${NEEDS}`,
      cacheRepository('--cache-to'),
    )
    .option(
      '--cache-from <registry/repo>',
      'reuse the build cache exported to REPO (by --cache-to of another run or builder); repeatable',
      (value: string, previous: string[]) => collect(cacheRepository('--cache-from')(value), previous),
      [],
    )
    .option('--provenance', `attach BuildKit's SLSA provenance (mode=max) to each image; ${NEEDS}`, false);
}

export function buildkitRequest(flags: BuildkitFlags): BuildkitRequest | undefined {
  if (!flags.cacheTo && flags.cacheFrom.length === 0 && !flags.provenance) return undefined;
  return {
    ...(flags.cacheTo ? { cacheTo: flags.cacheTo } : {}),
    ...(flags.cacheFrom.length ? { cacheFrom: flags.cacheFrom } : {}),
    ...(flags.provenance ? { provenance: true } : {}),
  };
}

/** A repository without tag or digest (bake names the tags), never with credentials in it. */
function cacheRepository(flag: string): (value: string) => string {
  const noCredentials = urlOption(flag, { bareHost: true });
  return (value) => {
    noCredentials(value);
    const repository = value.replace(/\/+$/, '');
    const lastPart = repository.slice(repository.lastIndexOf('/') + 1);
    if (lastPart.includes(':') || repository.includes('@'))
      throw new BakeError(
        `${flag}: ${JSON.stringify(value)} names a tag or digest; give the repository only (HOST[:PORT]/REPO)`,
        ExitCode.Usage,
        'bake tags the cache of each image itself: REPO:<target>-<image>',
      );
    try {
      registryRef(`${repository}:tag`);
    } catch {
      throw new BakeError(
        `${flag}: ${JSON.stringify(value)} is not a registry repository (HOST[:PORT]/REPO)`,
        ExitCode.Usage,
      );
    }
    return repository;
  };
}

import { urlOption } from '../common/url-credentials';
import { defaultStateDir } from '../common/paths';
import { parseWord } from '../recipe/vocabulary-word';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import type { PublishTarget } from '../registry/publish-run';
import type { CatalogStore } from '../registry/types';
import type { GlobalOptions } from './global-options';

export interface Where {
  registry?: string;
}

export const REGISTRY_HELP = 'the registry and prefix to read (host/prefix); default: the catalog on this machine';
export const KIND = (v: string) => parseWord(v, IMAGE_KINDS, 'image kind', '--kind');
export const REGISTRY = urlOption('--registry', { bareHost: true });

/** The catalog to read: the registry's, or this machine's. */
export async function openCatalog(
  options: Where,
  globals: GlobalOptions,
): Promise<{ catalog: CatalogStore; remote?: PublishTarget; stateDir: string }> {
  const { localCatalog, openRegistry } = await import('../registry/open-registry');
  const stateDir = globals.stateDir ?? defaultStateDir();
  if (!options.registry) return { catalog: localCatalog(stateDir), stateDir };
  const remote = await openRegistry(options.registry);
  return { catalog: remote.catalog, remote, stateDir };
}

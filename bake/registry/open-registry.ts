import { join } from 'node:path';
import { LocalCatalogStore } from './local-catalog';
import type { PublishTarget } from './publish-run';
import { HttpRegistryClient } from './registry-client';
import { registryCredentials } from './registry-credentials';
import { RegistryCatalogStore } from './registry-catalog';
import { parseRegistryLocation, repositoryPath } from './remote-ref';

/** The repository (under the prefix) that holds the catalog in a registry. */
export const CATALOG_REPOSITORY = 'bake-catalog';

/** A registry (`host/prefix`) with its credentials and catalog, ready to publish to or read. */
export async function openRegistry(value: string, env: NodeJS.ProcessEnv = process.env): Promise<PublishTarget> {
  const location = parseRegistryLocation(value);
  const credentials = await registryCredentials(location.host, env);
  const client = new HttpRegistryClient(location.host, credentials);
  return {
    location,
    client,
    credentials,
    catalog: new RegistryCatalogStore(client, repositoryPath(location, CATALOG_REPOSITORY)),
  };
}

/** The catalog on this machine, the embedded default when no registry is given. */
export function localCatalog(stateDir: string): LocalCatalogStore {
  return new LocalCatalogStore(join(stateDir, 'catalog'));
}

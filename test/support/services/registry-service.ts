import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { type BackgroundProcess, startBackground, stopBackground, waitUntilReady } from './background-process';
import { freePort } from './free-port';

export interface RegistryService {
  /** `127.0.0.1:PORT`: the engine treats loopback registries as insecure, so no TLS is needed. */
  host: string;
  process: BackgroundProcess;
  dir: string;
}

/**
 * A real OCI registry (Debian's docker-registry, CNCF distribution 2.8) on 127.0.0.1, with its
 * storage in a fresh directory and deletes enabled (retention tests delete manifests).
 */
export async function startRegistry(dir: string): Promise<RegistryService> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'storage')} }`,
    '  delete: { enabled: true }',
    `http: { addr: "127.0.0.1:${port}" }`,
    '',
  ].join('\n');
  await fs.writeFile(join(dir, 'config.yml'), config);
  const proc = startBackground('docker-registry', ['serve', join(dir, 'config.yml')], {
    logFile: join(dir, 'registry.log'),
  });
  const host = `127.0.0.1:${port}`;
  await waitUntilReady('docker-registry', proc, async () => (await fetch(`http://${host}/v2/`)).ok);
  return { host, process: proc, dir };
}

export async function stopRegistry(service: RegistryService): Promise<void> {
  await stopBackground(service.process);
}

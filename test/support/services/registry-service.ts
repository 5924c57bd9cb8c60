import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { type BackgroundProcess, startBackground, stopBackground, waitUntilReady } from './background-process';
import type { EngineNetns } from './engine-netns';
import { freePort } from './free-port';
import { forwardLoopback } from './loopback-forward';

export interface RegistryService {
  /** `127.0.0.1:PORT`: the engine treats loopback registries as insecure, so no TLS is needed. */
  host: string;
  process: BackgroundProcess;
  dir: string;
  forward?: Server;
}

/**
 * A real OCI registry (Debian's docker-registry, CNCF distribution 2.8) on 127.0.0.1, with its
 * storage in a fresh directory and deletes enabled (retention tests delete manifests). With
 * `netns`, it runs in an engine's network namespace, where that engine has it at 127.0.0.1,
 * and the host reaches it at the same 127.0.0.1:PORT through a forward.
 */
export async function startRegistry(dir: string, netns?: EngineNetns): Promise<RegistryService> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'storage')} }`,
    '  delete: { enabled: true }',
    `http: { addr: "${netns ? '0.0.0.0' : '127.0.0.1'}:${port}" }`,
    '',
  ].join('\n');
  await fs.writeFile(join(dir, 'config.yml'), config);
  const serve = ['docker-registry', 'serve', join(dir, 'config.yml')];
  const [command, ...args] = netns ? ['nsenter', `--net=${netns.path}`, ...serve] : serve;
  const proc = startBackground(command, args, { logFile: join(dir, 'registry.log') });
  const forward = netns ? await forwardLoopback(port, netns.address) : undefined;
  const host = `127.0.0.1:${port}`;
  const service = { host, process: proc, dir, forward };
  try {
    await waitUntilReady('docker-registry', proc, async () => (await fetch(`http://${host}/v2/`)).ok);
  } catch (err) {
    await stopRegistry(service);
    throw err;
  }
  return service;
}

export async function stopRegistry(service: RegistryService): Promise<void> {
  service.forward?.close();
  await stopBackground(service.process);
}

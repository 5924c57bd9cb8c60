// Integration tests run against real services: this installs what the host lacks (Debian
// packages), starts what is not running (the Docker engine, arm64 emulation, an OCI registry,
// moto's EC2 API), and hands the endpoints to the tests through the environment.
// global-teardown stops what it started.
import { join } from 'node:path';
import { createLogger } from '../../bake/common/log';
import { ensureCosign } from '../../bake/engine/host/cosign-install';
import { ensureHostPackages } from './services/host-packages';
import { startEngine } from './services/engine-service';
import { startMoto } from './services/moto-service';
import { startRegistry } from './services/registry-service';
import { testBakeCacheDir, testCacheDir, testStateDir } from './test-dirs';
import { setServices, type TestServices } from './test-services';

export default async function globalSetup(): Promise<void> {
  const logger = createLogger();
  const log = (line: string) => logger.info(`integration setup: ${line}`);
  const started = Date.now();
  await ensureHostPackages(log);
  const engine = await startEngine(testStateDir(), logger);
  // cosign comes from bake's own install (trixie, as the engine), not from the host packages.
  const cosign = await ensureCosign({ allowInstall: true, logger, stateDir: testStateDir() });
  const registry = await startRegistry(join(testCacheDir(), 'registry'));
  const moto = await startMoto({ cacheDir: testCacheDir(), aptDir: join(testBakeCacheDir(), 'apt') }, logger);
  const services: TestServices = { engine, registry, moto };
  setServices(services);
  const startedForTests = engine.started ? ' (started for the tests)' : '';
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `engine ${engine.endpoint}${startedForTests}, registry ${registry.host}, ` +
      `moto ${moto.version} at ${moto.endpoint}, ${cosign}; ready in ${seconds} s`,
  );
}

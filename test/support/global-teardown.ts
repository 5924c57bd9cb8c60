import { stopEngine } from './services/engine-service';
import { stopMoto } from './services/moto-service';
import { stopRegistry } from './services/registry-service';
import { getServices } from './test-services';

/** Stops only what global-setup started; a developer's own engine keeps running. */
export default async function globalTeardown(): Promise<void> {
  const services = getServices();
  if (!services) return;
  await stopMoto(services.moto);
  await stopRegistry(services.registry);
  await stopEngine(services.engine);
}

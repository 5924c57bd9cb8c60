import { stopEngine } from './services/engine-service';
import { getServices } from './test-services';

/** Stops only what global-setup started; a developer's own engine keeps running. */
export default async function globalTeardown(): Promise<void> {
  const services = getServices();
  if (!services) return;
  await stopEngine(services.engine);
}

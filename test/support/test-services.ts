import type { EngineService } from './services/engine-service';
import type { MotoService } from './services/moto-service';
import type { RegistryService } from './services/registry-service';

/** What global-setup started, handed to the tests through the environment (workers inherit it). */
export interface TestServices {
  engine: EngineService;
  registry: RegistryService;
  moto: MotoService;
}

const ENV = 'BAKE_TEST_SERVICES';

export function setServices(services: TestServices): void {
  process.env[ENV] = JSON.stringify(services);
}

export function getServices(): TestServices | undefined {
  const text = process.env[ENV];
  return text ? (JSON.parse(text) as TestServices) : undefined;
}

/** The services, or a clear error when a test runs without the integration setup. */
export function services(): TestServices {
  const found = getServices();
  if (!found)
    throw new Error(
      'integration services are not set up: ' +
        'run the tests with `npm run test:integration` (jest --selectProjects integration)',
    );
  return found;
}

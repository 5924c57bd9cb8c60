import { DockerEngine } from '../../bake/engine/docker-engine';
import { services } from './test-services';

/** The engine global-setup made available. */
export function testEngine(): DockerEngine {
  return DockerEngine.at(services().engine.endpoint);
}

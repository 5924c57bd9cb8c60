import type { Logger } from '../../../bake/common/log';
import { ensureBinfmt } from '../../../bake/engine/host/binfmt';
import { connectEngine, stopEmbeddedEngine } from '../../../bake/engine/daemon/embedded-engine';

export interface EngineService {
  endpoint: string;
  stateDir: string;
  /** Whether this setup started the engine (and so stops it). */
  started: boolean;
}

/**
 * The engine the tests build on: whatever answers (DOCKER_HOST, the standard socket), else the
 * one bake starts itself, with its state under the tests' own directory. arm64 emulation is
 * registered too, since half the targets need it.
 */
export async function startEngine(stateDir: string, logger: Logger): Promise<EngineService> {
  const engine = await connectEngine({ stateDir, logger });
  const started = engine.embedded;
  await ensureBinfmt('arm64', logger);
  return { endpoint: engine.endpoint, stateDir, started };
}

export async function stopEngine(service: EngineService): Promise<void> {
  if (service.started) await stopEmbeddedEngine(service.stateDir);
}

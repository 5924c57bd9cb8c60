import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Arch } from '../../recipe/types';
import { ARCHES } from '../../recipe/vocabulary';
import type { DockerEngine } from '../docker-engine';
import { normalizeEndpoint } from './engine-endpoint';
import type { EngineChoice, EngineConnector } from './types';

/** `--engine ENDPOINT` or `--engine ARCH=ENDPOINT` (repeatable), then BAKE_ENGINE_<ARCH>. */
export function parseEngineChoice(values: string[], env: NodeJS.ProcessEnv = process.env): EngineChoice {
  const choice: EngineChoice = { perArch: {} };
  for (const arch of ARCHES) {
    const fromEnv = env[`BAKE_ENGINE_${arch.toUpperCase()}`];
    if (fromEnv) choice.perArch[arch] = normalizeEndpoint(fromEnv);
  }
  for (const value of values) {
    const m = /^([a-z0-9]+)=(.+)$/.exec(value);
    if (m && !/^[a-z]+:\/\//.test(value)) {
      if (!(ARCHES as readonly string[]).includes(m[1]))
        throw new BakeError(
          `--engine ${value}: unknown architecture "${m[1]}" (expected ${ARCHES.join(', ')})`,
          ExitCode.Usage,
        );
      choice.perArch[m[1] as Arch] = normalizeEndpoint(m[2]);
    } else {
      if (choice.all)
        throw new BakeError(
          `--engine given twice without an architecture (${choice.all}, ${value}); use --engine ARCH=ENDPOINT`,
          ExitCode.Usage,
        );
      choice.all = value;
    }
  }
  return choice;
}

/**
 * The engine of each architecture, connected on first use (a run whose targets are all
 * skipped never touches one) and once per endpoint. Only the shared endpoint (or the default)
 * may start bake's own engine; a per-architecture endpoint is someone's builder and must
 * already answer. `connected()` lists the engines used so far, for cleanup.
 */
export function engineConnector(choice: EngineChoice, options: { stateDir: string; logger: Logger }): EngineConnector {
  const byEndpoint = new Map<string, Promise<DockerEngine>>();
  const connect = (endpoint: string | undefined, allowStart: boolean) => {
    const key = endpoint ?? '';
    // The engine client loads with the first connection: a run that skips every target loads none.
    if (!byEndpoint.has(key))
      byEndpoint.set(
        key,
        import('./embedded-engine').then(({ connectEngine }) =>
          connectEngine({ stateDir: options.stateDir, logger: options.logger, endpoint, allowStart }),
        ),
      );
    return byEndpoint.get(key)!;
  };
  return {
    engineFor: (arch) => {
      const own = choice.perArch[arch];
      return own ? connect(own, false) : connect(choice.all, true);
    },
    connected: async () =>
      (await Promise.allSettled(byEndpoint.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
  };
}

import type { Command } from 'commander';
import { defaultStateDir } from '../common/paths';
import { parseWord } from '../recipe/vocabulary-word';
import type { SbomFormat } from '../sbom/types';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import type { GlobalOptions } from './global-options';
import { printOut } from './output';
import { commandLogger } from './progress-output';

interface SbomOptions extends EngineFlags {
  format: SbomFormat;
  out?: string;
}

const FORMATS = ['cyclonedx', 'spdx'] as const;

export function sbomCommand(program: Command): Command {
  return program
    .command('sbom')
    .description(
      "the SBOM of any image in the engine (one bake did not build, too), read from its layers: the distribution's " +
        'packages with licenses and purls, the Go distribution, and the modules of every Go binary',
    )
    .argument('<image>', 'image reference or id in the engine')
    .option(
      '--format <format>',
      `${FORMATS.join(' (CycloneDX 1.6 JSON) or ')} (SPDX 2.3 JSON)`,
      (v: string) => parseWord(v, FORMATS, 'SBOM format', '--format'),
      'cyclonedx' as SbomFormat,
    )
    .option('--out <file>', 'write the SBOM to this file (default: stdout)')
    .option(ENGINE_FLAG, ENGINE_HELP)
    .action(async (image: string, options: SbomOptions, cmd: Command) => {
      const { runSbom } = await import('../pipeline/sbom-run');
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const logger = commandLogger(globals);
      const result = await runSbom({
        image,
        format: options.format,
        out: options.out,
        engine: options.engine,
        stateDir: globals.stateDir ?? defaultStateDir(),
        logger,
      });
      if (!options.out) printOut(result.document);
      const { packages, goBinaries, goModules, go } = result.components;
      const seconds = (result.durationMs / 1000).toFixed(1);
      const goPart = go ? `Go ${go}, ` : '';
      logger.info(
        `${image}: ${packages} packages, ${goPart}${goBinaries} Go binaries with ${goModules} modules ` +
          `(${seconds} s)${options.out ? `; wrote ${options.out}` : ''}`,
      );
    });
}

import type { Command } from 'commander';
import { defaultCacheDir } from '../common/paths';
import type { Arch } from '../recipe/types';
import { ARCHES } from '../recipe/vocabulary';
import { parseWord } from '../recipe/vocabulary-word';
import { type GlobalOptions, parseGoSources, parseList } from './global-options';
import { commandLogger } from './progress-output';

interface MirrorOptions {
  versions: string[];
  arch: string[];
  from?: ReturnType<typeof parseGoSources>;
}

export function goCommand(program: Command): Command {
  const go = program.command('go').description('Go distributions: offline mirrors for air-gapped sites');
  go.command('mirror')
    .description(
      'create or refresh an offline Go mirror (index.json, archives, SHA256SUMS); ' +
        'sign SHA256SUMS with your own key afterwards',
    )
    .argument('<dir>', 'mirror directory')
    .option('--versions <ranges>', 'comma-separated Go version ranges', parseList, ['1.27.x', '1.26.x'])
    .option('--arch <list>', 'comma-separated architectures', parseList, [...ARCHES])
    .option(
      '--from <sources>',
      'where to fetch from, in order (official, mirror, debian); default: official,debian',
      parseGoSources,
    )
    .action(async (dir: string, options: MirrorOptions, command: Command) => {
      const [{ DownloadCache }, { createGoSources }, { writeGoMirror }, { loadTrustedKeys }] = await Promise.all([
        import('../golang/download-cache'),
        import('../golang/go-sources'),
        import('../golang/mirror/go-mirror-writer'),
        import('../golang/trust/trusted-keys'),
      ]);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const logger = commandLogger(globals);
      const arches = options.arch.map((a) => parseWord<Arch>(a, ARCHES, 'architecture', '--arch'));
      const cacheDir = globals.cacheDir ?? defaultCacheDir();
      const sources = createGoSources({
        kinds: options.from ?? globals.goSource ?? ['official', 'debian'],
        mirror: globals.goMirror ?? process.env.BAKE_GO_MIRROR,
        cache: new DownloadCache(cacheDir),
        cacheDir,
        trustedKeys: await loadTrustedKeys({ files: globals.trustKey, env: process.env }),
        logger,
      });
      const result = await writeGoMirror({ dir, versions: options.versions, arches, sources, logger });
      logger.info(
        `mirror ${dir}: ${result.files.length} files; ` +
          `sign it with: gpg --armor --detach-sign --output ${dir}/SHA256SUMS.asc ${dir}/SHA256SUMS`,
      );
    });
  return go;
}

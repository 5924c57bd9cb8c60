import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { parseWord } from '../recipe/vocabulary-word';
import type { ImageKind } from '../recipe/types';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import { commandSession } from './command-session';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import { collect } from './global-options';
import { printJson, printOut } from './output';

interface DriftOptions extends EngineFlags {
  container?: string;
  host?: string;
  image?: string;
  target?: string;
  kind?: ImageKind;
  registry?: string;
  sshOption: string[];
  json: boolean;
  junit?: string;
  markdown?: string;
}

export function driftCommand(program: Command): Command {
  return program
    .command('drift')
    .description(
      'compare a running container, a host or an image with the baseline recorded when what it came from ' +
        'was vetted; exit 5 when anything drifted',
    )
    .option(
      '--container <id>',
      'a container in the engine (its image, or the image it was built FROM, names the baseline)',
    )
    .option('--host <user@host>', 'a host over ssh (an instance of an AMI; needs --target and passwordless sudo)')
    .option('--image <ref>', 'an image in the engine (e.g. one pulled from the registry)')
    .option('--target <name>', "the target whose baseline to use, instead of the artifact's own labels or digest")
    .option('--kind <kind>', `with --target: the image kind (${IMAGE_KINDS.join(', ')}; default toolchain)`, (v) =>
      parseWord(v, IMAGE_KINDS, 'image kind', '--kind'),
    )
    .option(
      '--registry <registry/prefix>',
      'take the baseline from the catalog in this registry; default: the catalog on this machine',
      urlOption('--registry', { bareHost: true }),
    )
    .option(ENGINE_FLAG, ENGINE_HELP)
    .option(
      '--ssh-option <option>',
      'an ssh -o option for --host (Port=2222, IdentityFile=...); repeatable',
      collect,
      [],
    )
    .option('--json', 'print the report as JSON on stdout', false)
    .option('--junit <file>', 'also write the findings as JUnit XML')
    .option('--markdown <file>', 'also write the findings as Markdown (for a CI job summary)')
    .action(async (options: DriftOptions, cmd: Command) => {
      const [{ runDrift }, formats, { writeFileAtomic }, { localCatalog, openRegistry }] = await Promise.all([
        import('../pipeline/drift-run'),
        import('../drift/drift-formats'),
        import('../common/atomic-write'),
        import('../registry/open-registry'),
      ]);
      const session = await commandSession(cmd);
      const catalog = options.registry
        ? (await openRegistry(options.registry)).catalog
        : localCatalog(session.stateDir);
      const report = await runDrift({
        session,
        subject: { container: options.container, image: options.image, host: options.host },
        catalog,
        target: options.target,
        kind: options.kind,
        engine: options.engine,
        sshOptions: options.sshOption,
      });
      if (options.junit) await writeFileAtomic(options.junit, formats.driftJunit(report));
      if (options.markdown) await writeFileAtomic(options.markdown, formats.driftMarkdown(report));
      if (options.json) printJson(report);
      else printOut(formats.driftText(report));
      if (report.drifted)
        throw new BakeError(
          `${report.subject.kind} ${report.subject.ref} drifted from its baseline: ` +
            `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`,
          ExitCode.CheckFailed,
        );
    });
}

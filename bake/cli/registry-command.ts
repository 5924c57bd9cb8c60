import { join } from 'node:path';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { defaultStateDir } from '../common/paths';
import { summaryTable } from '../readiness/summary-table';
import type { Report } from '../readiness/types';
import type { ImageKind } from '../recipe/types';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import type { GlobalOptions } from './global-options';
import { printErr, printJson, printOut, printTable } from './output';
import { commandLogger } from './progress-output';
import { KIND, openCatalog, REGISTRY, REGISTRY_HELP, type Where } from './registry-options';
import { registryRevokeCommands } from './registry-revoke-command';
import { registryStatusCommands } from './registry-status-command';

export function registryCommand(program: Command): Command {
  const registry = program
    .command('registry')
    .description('the registry of vetted base images: list, show, pin, verify, prune, status, site, revoke');

  registry
    .command('ls')
    .description('list vetted images and AMIs: target, kind, Go version, digest, date, readiness summary')
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .option('--target <name>', 'only this target (or recipe)')
    .option('--json', 'machine-readable output', false)
    .action(async (options: Where & { target?: string; json: boolean }, cmd: Command) => {
      const { catalogRecords, imageWhere } = await import('../registry/catalog-records');
      const { catalog } = await openCatalog(options, cmd.optsWithGlobals<GlobalOptions>());
      const wanted = (target: string) =>
        !options.target || target === options.target || target.startsWith(`${options.target}-`);
      const all = await catalogRecords(catalog);
      const images = all.images.filter((i) => wanted(i.target));
      const amis = all.amis.filter((a) => wanted(a.target));
      if (options.json) return printJson({ images, amis });
      if (images.length + amis.length === 0) {
        printErr(`nothing vetted in ${catalog.location}${options.target ? ` for ${options.target}` : ''}\n`);
        return;
      }
      const date = (iso: string) => iso.slice(0, 16).replace('T', ' ');
      printTable(
        ['TARGET', 'KIND', 'GO', 'DIGEST', 'VETTED', 'READINESS', 'WHERE'],
        [
          ...images.map((i) => [
            i.target,
            i.kind,
            i.goVersion,
            (i.manifestDigest ?? i.imageId).slice(0, 19),
            date(i.vettedAt),
            `${i.revoked ? 'REVOKED, ' : ''}${i.summary.passed}/${i.summary.checks} passed` +
              (i.waivers?.length
                ? `, ${i.waivers.length} waived until ${i.waivers.map((w) => w.until).sort()[0]}`
                : ''),
            imageWhere(i),
          ]),
          ...amis.map((a) => [
            a.target,
            'ami',
            a.goVersion,
            a.amiId,
            date(a.createdAt),
            `${a.revoked ? 'REVOKED, ' : ''}${a.report.summary}`,
            [a.region, ...a.copies.map((c) => `${c.region}:${c.amiId}`)].join(' '),
          ]),
        ],
      );
    });

  registry
    .command('show')
    .description('the full record of a vetted image with its readiness report')
    .argument('<ref>', 'a target (its newest image), repository:tag, a tag, or a digest')
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .option(
      '--kind <kind>',
      `with a target: which image kind (${IMAGE_KINDS.join(', ')})`,
      KIND,
      'toolchain' as ImageKind,
    )
    .option('--json', 'print record and report as one JSON document', false)
    .action(async (ref: string, options: Where & { kind: ImageKind; json: boolean }, cmd: Command) => {
      const { catalogRecords, matchesImage } = await import('../registry/catalog-records');
      const { catalog } = await openCatalog(options, cmd.optsWithGlobals<GlobalOptions>());
      const image = (await catalogRecords(catalog)).images.filter((i) => matchesImage(i, ref, options.kind)).pop();
      if (!image)
        throw new BakeError(
          `no vetted image matches "${ref}" in ${catalog.location}`,
          ExitCode.Usage,
          'bake registry ls lists them',
        );
      const bytes = await catalog.getReport(image.reportDigest);
      const report = bytes ? (JSON.parse(bytes.toString('utf8')) as Report) : undefined;
      if (options.json) return printJson({ image, report });
      // The baseline is a hundred records: `--json` has them, the terminal its size and time.
      const shown = image.baseline
        ? {
            ...image,
            baseline: `${Object.keys(image.baseline.values).length} records, captured ${image.baseline.capturedAt}`,
          }
        : image;
      const lines = Object.entries(shown).map(
        ([k, v]) => `${k.padEnd(15)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
      );
      const table = report ? summaryTable(report) : `(report ${image.reportDigest} not found in ${catalog.location})`;
      printOut(`${lines.join('\n')}\n\n${table}\n`);
    });

  registry
    .command('pin')
    .description('print the FROM line (pinned by digest) a team pastes into its Dockerfile')
    .argument(
      '<target>',
      'a target (debian12-arm64: that architecture), with --registry a recipe (debian12: the multi-arch index), ' +
        'or a digest; a revoked image is never pinned',
    )
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .option('--kind <kind>', `image kind (${IMAGE_KINDS.join(', ')})`, KIND, 'toolchain' as ImageKind)
    .option('--go <line>', 'Go line or version, e.g. 1.22 (default: the newest vetted)')
    .option(
      '--key <file>',
      'print the line only if the image verifies with this cosign public key (bake registry verify)',
    )
    .action(async (name: string, options: Where & { kind: ImageKind; go?: string; key?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const query = { name, kind: options.kind, go: options.go };
      if (options.key) {
        if (!options.registry)
          throw new BakeError('--key verifies what is in a registry: pass --registry REGISTRY/PREFIX', ExitCode.Usage);
        const { runVerifiedPin } = await import('../pipeline/registry-verify-run');
        const pin = await runVerifiedPin({
          registry: options.registry,
          query,
          key: options.key,
          stateDir: globals.stateDir ?? defaultStateDir(),
          logger: commandLogger(globals),
          env: process.env,
        });
        const what = pin.verified.map((v) => v.entry?.target).join(', ');
        printOut(
          `# ${pin.comment}\n# verified with the key: signature, SBOM, provenance, readiness (${what})\n` +
            `FROM ${pin.from}\n`,
        );
        return;
      }
      const { pinReference } = await import('../registry/catalog-records');
      const { catalog, remote } = await openCatalog(options, globals);
      const pin = await pinReference(catalog, query, remote);
      printErr('not verified: pass --key FILE to check its signature and attestations first\n');
      printOut(`# ${pin.comment}\nFROM ${pin.from}\n`);
    });

  registryStatusCommands(registry);
  registryRevokeCommands(registry);

  registry
    .command('verify')
    .description(
      'prove a pushed image is what bake vetted: signature, SBOM, provenance and readiness attestations, ' +
        'all by the key and matching the signed catalog; exit 4 with the reason otherwise',
    )
    .argument('<ref>', 'a target (its newest pushed image of --kind) or an image: host/prefix/repo:tag or @sha256:...')
    .requiredOption('--key <file>', 'the cosign public key the images must be signed with')
    .option(
      '--registry <registry/prefix>',
      "the catalog's registry and prefix; default: the image reference's",
      REGISTRY,
    )
    .option(
      '--kind <kind>',
      `with a target: which image kind (${IMAGE_KINDS.join(', ')})`,
      KIND,
      'toolchain' as ImageKind,
    )
    .option('--json', 'print every check as JSON', false)
    .action(async (ref: string, options: Where & { key: string; kind: ImageKind; json: boolean }, cmd: Command) => {
      const { runRegistryVerify, verifyFailure } = await import('../pipeline/registry-verify-run');
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const logger = commandLogger(globals);
      const outcome = await runRegistryVerify({
        ref,
        kind: options.kind,
        key: options.key,
        registry: options.registry,
        stateDir: globals.stateDir ?? defaultStateDir(),
        logger,
        env: process.env,
      });
      if (options.json) printJson(outcome);
      else
        printTable(
          ['CHECK', 'RESULT', 'DETAIL'],
          outcome.checks.map((c) => [c.id, c.ok ? 'ok' : 'FAILED', c.detail]),
        );
      for (const warning of outcome.warnings) logger.warn(warning);
      if (!outcome.verified) throw verifyFailure(outcome);
      logger.info(`${outcome.image}: verified`);
    });

  registry
    .command('prune')
    .description('remove old immutable tags: never the newest per Go line, never what a moving tag points at')
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .requiredOption('--keep <n>', 'newest images kept per target and kind', (v) => positiveInt(v, '--keep'))
    .option(
      '--older-than <days>',
      'only remove images vetted more than this many days ago',
      (v) => positiveInt(v, '--older-than', true),
      0,
    )
    .option('--target <name>', 'only this target')
    .option('--dry-run', 'show what would be removed, remove nothing', false)
    .option('--json', 'machine-readable output', false)
    .action(
      async (
        options: Where & { keep: number; olderThan: number; target?: string; dryRun: boolean; json: boolean },
        cmd: Command,
      ) => {
        const [{ connectEngine }, { engineHome, pruneCatalog, registryHome }, { imageWhere }] = await Promise.all([
          import('../engine/daemon/embedded-engine'),
          import('../registry/prune-run'),
          import('../registry/catalog-records'),
        ]);
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        const logger = commandLogger(globals);
        const { catalog, remote, stateDir } = await openCatalog(options, globals);
        const home = remote ? registryHome(remote.client) : engineHome(await connectEngine({ stateDir, logger }));
        const decision = await pruneCatalog({
          catalog,
          home,
          policy: { keep: options.keep, olderThanDays: options.olderThan, now: new Date() },
          dryRun: options.dryRun,
          targets: options.target ? [options.target] : undefined,
          lockDir: join(stateDir, 'locks'),
          logger,
        });
        if (options.json)
          return printJson({
            dryRun: options.dryRun,
            remove: decision.remove,
            kept: decision.kept.map((k) => ({ ...k.image, why: k.why })),
          });
        const verb = options.dryRun ? 'would remove' : 'removed';
        for (const image of decision.remove)
          printOut(
            `${verb} ${imageWhere(image)} ` +
              `(${image.manifestDigest ?? image.imageId.slice(0, 19)}, vetted ${image.vettedAt})\n`,
          );
        printOut(`${decision.remove.length} ${verb}, ${decision.kept.length} kept in ${catalog.location}\n`);
      },
    );
  return registry;
}

function positiveInt(value: string, flag: string, zeroOk = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    throw new BakeError(
      `${flag}: expected a whole number${zeroOk ? '' : ' of 1 or more'}, got "${value}"`,
      ExitCode.Usage,
    );
  return n;
}

import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import type { ImageKind } from '../recipe/types';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import { commandSession } from './command-session';
import { ENGINE_FLAG, ENGINE_HELP } from './engine-options';
import type { GlobalOptions } from './global-options';
import { printJson, printOut } from './output';
import { KIND, openCatalog, REGISTRY, type Where } from './registry-options';
import { signKeyOf, type SignFlags } from './sign-options';

interface RevokeOptions extends Where, SignFlags {
  reason?: string;
  by?: string;
  kind?: ImageKind;
  engine?: string;
  region?: string;
  amiEndpoint?: string;
  json: boolean;
}

const REF_HELP =
  'a target (its newest vetted images and the AMIs of the same bake), an image digest, repository:tag, or an AMI id';
const WHERE_HELP =
  'the registry and prefix whose catalog and moving tags change; default: this machine (catalog and engine tags)';

/** `bake registry revoke` and `unrevoke`: taking a vetted image (or AMI) back, and giving it back. */
export function registryRevokeCommands(registry: Command): void {
  for (const revoke of [true, false]) {
    const command = registry
      .command(revoke ? 'revoke' : 'unrevoke')
      .description(
        revoke
          ? 'record that a vetted image (or AMI) must not be used: moving tags go back to the newest vetted one ' +
              'that is not revoked (or are removed), pin and verify refuse it, AMIs are deprecated, ' +
              'the nightly rebuilds it'
          : 'undo a revocation: the image is vetted again and moving tags follow the newest vetted image',
      )
      .argument('<ref>', REF_HELP)
      .option('--registry <registry/prefix>', WHERE_HELP, REGISTRY)
      .option('--kind <kind>', `with a target: only this image kind (${IMAGE_KINDS.join(', ')})`, KIND);
    if (revoke)
      command
        .requiredOption('--reason <text>', 'why, in one line: recorded in the catalog, on AMI tags and the status page')
        .option('--by <name>', 'who revokes it (default: user@host of this machine)');
    command
      .option(ENGINE_FLAG, `without --registry: ${ENGINE_HELP}`)
      .option('--region <region>', 'for revoked AMIs: the AWS region to connect through (default: AWS_REGION)')
      .option('--ami-endpoint <url>', 'for revoked AMIs: another EC2 API endpoint', urlOption('--ami-endpoint'))
      .option(
        '--sign-key <file>',
        'with --registry: sign the changed catalog documents and moved indexes with this cosign key ' +
          '(password in COSIGN_PASSWORD); env BAKE_SIGN_KEY',
      )
      .option('--json', 'machine-readable output', false)
      .action(async (ref: string, options: RevokeOptions, cmd: Command) => {
        const [{ runRevoke }, { parseReason }] = await Promise.all([
          import('../pipeline/revoke-run'),
          import('../registry/revocation'),
        ]);
        const session = await commandSession(cmd);
        const { remote } = await openCatalog(options, cmd.optsWithGlobals<GlobalOptions>());
        const run = await runRevoke({
          session,
          ref,
          revoke: revoke
            ? { reason: parseReason(options.reason ?? ''), by: parseReason(options.by ?? defaultBy()) }
            : undefined,
          kind: options.kind,
          remote,
          engine: options.engine,
          ec2: { region: options.region, endpoint: options.amiEndpoint },
          signKey: signKeyOf(options, options.registry, '--registry'),
        });
        if (options.json) return printJson(run);
        const verb = revoke ? 'revoked' : 'reinstated';
        for (const i of run.images) printOut(`${verb} ${i.repository}:${i.tag} (${i.manifestDigest ?? i.imageId})\n`);
        for (const a of run.amis)
          printOut(`${verb} ${a.amiId} (${a.region})${a.revoked?.deprecation ? `: ${a.revoked.deprecation}` : ''}\n`);
        for (const t of run.moved) printOut(`moved ${t}\n`);
      });
  }
}

function defaultBy(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    throw new BakeError('--by: who revokes it could not be found out here; pass --by NAME', ExitCode.Usage);
  }
}

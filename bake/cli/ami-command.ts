import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { summaryTable } from '../readiness/summary-table';
import type { Target } from '../recipe/types';
import { selectTargets } from '../recipe/expand-targets';
import { commandSession } from './command-session';
import { collect, parseList } from './global-options';
import { printJson, printOut } from './output';

interface AmiOptions {
  region?: string;
  endpoint?: string;
  synth: boolean;
  out?: string;
  keep?: number;
  copyTo: string[];
  sourceAmi?: string;
  instanceProfile?: string;
  securityGroup?: string;
  subnet?: string;
  goUrl?: string;
  timeout: number;
  pollInterval: number;
  consoleWait: number;
  verifyHost?: string;
  sshOption: string[];
  registry?: string;
  json: boolean;
}

export function amiCommand(program: Command): Command {
  return program
    .command('ami')
    .description(
      "bake a target's VM template (AMI) Packer-style through the EC2 API: " +
        'a builder runs the provisioning script, and only an image whose readiness checks pass is kept and tagged',
    )
    .argument('<target>', 'one target, e.g. debian12-amd64')
    .option('--region <region>', 'AWS region (default: AWS_REGION, or the shared AWS config)')
    .option(
      '--endpoint <url>',
      'another EC2 API endpoint (moto, LocalStack, a VPC endpoint); the builder tags itself through it too',
      urlOption('--endpoint'),
    )
    .option(
      '--synth',
      'only write the CDKTF stack (cdk.tf.json) and the user data to --out, for review; no AWS call',
      false,
    )
    .option(
      '--out <dir>',
      'where files go: the stack with --synth (default cdktf.out), ' +
        'else user-data.sh, report and ami.json (default STATE/ami/<target>)',
    )
    .option(
      '--keep <n>',
      'after a vetted bake, deregister older AMIs of the target beyond the newest N (and delete their snapshots)',
      parseCount,
    )
    .option('--copy-to <regions>', 'copy the vetted AMI to these regions (comma-separated)', parseList, [])
    .option(
      '--source-ami <ami>',
      "start from this image instead of the recipe's name/owner lookup (private images, test endpoints)",
    )
    .option(
      '--instance-profile <name>',
      "the builder's instance profile (it may tag itself with its verdict); default: the stack's bake-builder-<target>",
    )
    .option('--security-group <id>', 'use this security group instead of a temporary one with no inbound rule')
    .option('--subnet <id>', 'launch the builder in this subnet (default: the default VPC)')
    .option(
      '--go-url <url>',
      'where builders download the verified Go archive (its sha256 is checked on the host); ' +
        'default: the URL it was verified from',
      urlOption('--go-url'),
    )
    .option('--timeout <seconds>', 'how long the builder may take to publish its verdict', parseSeconds, 1800)
    .option('--poll-interval <seconds>', 'how often EC2 is asked while waiting', parseSeconds, 10)
    .option(
      '--console-wait <seconds>',
      "how long to wait for the console copy of the builder's full result once its verdict is in",
      parseSeconds,
      120,
    )
    .option(
      '--verify-host <user@host>',
      "instead of baking, run the target's host readiness suite over ssh " +
        'on a running host (e.g. an instance of the AMI)',
    )
    .option('--ssh-option <option>', 'an ssh -o option for --verify-host; repeatable', collect, [])
    .option(
      '--registry <registry/prefix>',
      'also record the vetted AMI in the catalog kept in this registry (always recorded in the local catalog)',
      urlOption('--registry', { bareHost: true }),
    )
    .option('--json', 'print the result as JSON on stdout', false)
    .action(async (name: string, options: AmiOptions, cmd: Command) => {
      const [ami, { localCatalog, openRegistry }] = await Promise.all([
        import('../pipeline/ami-run'),
        import('../registry/open-registry'),
      ]);
      const session = await commandSession(cmd);
      const target = oneTarget(selectTargets(session.targets, [name]), name);
      if (options.verifyHost) {
        const { report, files } = await ami.verifyHostRun({
          session,
          target,
          host: options.verifyHost,
          sshOptions: options.sshOption,
          out: options.out,
        });
        if (options.json) printJson(report);
        else printOut(`${summaryTable(report)}\n`);
        session.logger.info(`report: ${files.json} (JUnit XML: ${files.junit})`);
        if (!report.passed)
          throw new BakeError(
            `${options.verifyHost} fails the host readiness checks of ${target.name}`,
            ExitCode.CheckFailed,
          );
        return;
      }
      if (options.synth) {
        const stack = await ami.synthAmi({
          session,
          target,
          out: options.out ?? 'cdktf.out',
          region: options.region,
          goUrl: options.goUrl,
          ec2Endpoint: options.endpoint,
        });
        if (options.json) printJson(stack);
        else printOut(`stack: ${stack.stackFile}\nuser data: ${stack.userDataFile}\n`);
        return;
      }
      const result = await ami.runAmi({
        session,
        target,
        region: options.region,
        goUrl: options.goUrl,
        ec2Endpoint: options.endpoint,
        sourceAmi: options.sourceAmi,
        instanceProfile: options.instanceProfile,
        securityGroupId: options.securityGroup,
        subnetId: options.subnet,
        copyTo: options.copyTo,
        timeouts: {
          provisionMs: options.timeout * 1000,
          consoleMs: options.consoleWait * 1000,
          pollMs: options.pollInterval * 1000,
        },
        out: options.out,
        keep: options.keep,
        catalogs: [
          localCatalog(session.stateDir),
          ...(options.registry ? [(await openRegistry(options.registry)).catalog] : []),
        ],
      });
      if (options.json) printJson(result);
      else {
        const vetted =
          result.status === 'vetted'
            ? `vetted: ${result.record.amiId} (${result.record.name}) in ${result.record.region}\n`
            : '';
        printOut(`${summaryTable(result.report)}\n${vetted}`);
      }
      session.logger.info(
        `report: ${result.files.json} (JUnit XML: ${result.files.junit}); user data: ${result.files.userData}`,
      );
      if (result.status === 'rejected') {
        throw new BakeError(
          `${target.name}: the builder's readiness checks failed (${result.report.results
            .filter((r) => r.status === 'fail')
            .map((r) => r.id)
            .join(', ')}); no image was made`,
          ExitCode.CheckFailed,
        );
      }
    });
}

function oneTarget(targets: Target[], name: string): Target {
  const [target, ...more] = targets;
  if (more.length > 0)
    throw new BakeError(
      `"${name}" names ${more.length + 1} targets; bake ami takes one (e.g. ${target.name})`,
      ExitCode.Usage,
    );
  return target;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new BakeError(
      `--keep: expected a whole number of 1 or more (the newest vetted AMI is always kept), got "${value}"`,
      ExitCode.Usage,
    );
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BakeError(`expected a number of seconds, got "${value}"`, ExitCode.Usage);
  return n;
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { abortOnSignals } from '../pipeline/interrupts';
import { planTarget } from '../render/plan-target';
import { writeReport } from '../readiness/report-files';
import { summaryTable } from '../readiness/summary-table';
import type { Target } from '../recipe/types';
import { withAmi } from '../registry/catalog-entry';
import { localCatalog, openRegistry } from '../registry/open-registry';
import { updateCatalog } from '../registry/update-catalog';
import { writeAmiFiles } from '../vm/ami-files';
import { catalogAmi } from '../vm/catalog-ami';
import { buildAmi } from '../vm/ami-build';
import { applyRetention } from '../vm/ami-retention';
import { Ec2Sdk } from '../vm/ec2-sdk';
import { SshDriver } from '../vm/ssh-driver';
import { synthStacks } from '../vm/synth';
import { verifyHost } from '../vm/verify-host';
import { planVmBuild } from '../vm/vm-build-plan';
import { collect, parseList, type GlobalOptions } from './global-options';
import { printJson } from './output';
import { openSession, pickTargets, type Session } from './session';

/** Stopping, imaging, copying and terminating take minutes on EC2; a quarter hour is a stuck call. */
const STATE_CHANGE_MS = 15 * 60_000;

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
    .description("bake a target's VM template (AMI) Packer-style through the EC2 API: a builder runs the provisioning script, and only an image whose readiness checks pass is kept and tagged")
    .argument('<target>', 'one target, e.g. debian12-amd64')
    .option('--region <region>', 'AWS region (default: AWS_REGION, or the shared AWS config)')
    .option('--endpoint <url>', 'another EC2 API endpoint (moto, LocalStack, a VPC endpoint); the builder tags itself through it too')
    .option('--synth', 'only write the CDKTF stack (cdk.tf.json) and the user data to --out, for review; no AWS call', false)
    .option('--out <dir>', 'where files go: the stack with --synth (default cdktf.out), else user-data.sh, report and ami.json (default STATE/ami/<target>)')
    .option('--keep <n>', 'after a vetted bake, deregister older AMIs of the target beyond the newest N (and delete their snapshots)', parseCount)
    .option('--copy-to <regions>', 'copy the vetted AMI to these regions (comma-separated)', parseList, [])
    .option('--source-ami <ami>', "start from this image instead of the recipe's name/owner lookup (private images, test endpoints)")
    .option('--instance-profile <name>', "the builder's instance profile (it may tag itself with its verdict); default: the stack's bake-builder-<target>")
    .option('--security-group <id>', 'use this security group instead of a temporary one with no inbound rule')
    .option('--subnet <id>', 'launch the builder in this subnet (default: the default VPC)')
    .option('--go-url <url>', 'where builders download the verified Go archive (its sha256 is checked on the host); default: the URL it was verified from')
    .option('--timeout <seconds>', 'how long the builder may take to publish its verdict', parseSeconds, 1800)
    .option('--poll-interval <seconds>', 'how often EC2 is asked while waiting', parseSeconds, 10)
    .option('--console-wait <seconds>', "how long to wait for the console copy of the builder's full result once its verdict is in", parseSeconds, 120)
    .option('--verify-host <user@host>', "instead of baking, run the target's host readiness suite over ssh on a running host (e.g. an instance of the AMI)")
    .option('--ssh-option <option>', 'an ssh -o option for --verify-host; repeatable', collect, [])
    .option('--registry <registry/prefix>', 'also record the vetted AMI in the catalog kept in this registry (always recorded in the local catalog)')
    .option('--json', 'print the result as JSON on stdout', false)
    .action(async (name: string, options: AmiOptions, cmd: Command) => {
      const session = await openSession(cmd.optsWithGlobals<GlobalOptions>());
      const target = oneTarget(session, name);
      if (options.verifyHost) return verifyHostCommand(session, target, options);
      const vm = await planVmBuild(session, target, { goUrl: options.goUrl, ec2Endpoint: options.endpoint });
      if (options.synth) {
        const [stack] = await synthStacks(options.out ?? 'cdktf.out', [{ target, userData: vm.userData, goVersion: vm.planned.plan.go.version, region: options.region, script: vm.script }]);
        if (options.json) printJson(stack);
        else process.stdout.write(`stack: ${stack!.stackFile}\nuser data: ${stack!.userDataFile}\n`);
        return;
      }
      if (!vm.goUrl) {
        throw new BakeError(`builders of ${target.name} have no way to get ${vm.planned.plan.go.filename} (it came from ${vm.planned.plan.go.source}, not a URL)`, ExitCode.Usage, 'pass --go-url with where builders can download the verified archive');
      }
      const ec2 = await Ec2Sdk.connect({ region: options.region, endpoint: options.endpoint });
      const runId = randomBytes(6).toString('hex');
      const controller = new AbortController();
      const removeHandlers = abortOnSignals(controller, session.logger);
      let result;
      try {
        result = await buildAmi({
          ec2,
          regionApi: (region) => ec2.inRegion(region),
          plan: vm.planned.plan,
          userData: vm.userData,
          sourceAmi: options.sourceAmi,
          instanceProfile: options.instanceProfile,
          securityGroupId: options.securityGroup,
          subnetId: options.subnet,
          copyTo: options.copyTo,
          timeouts: { provisionMs: options.timeout * 1000, consoleMs: options.consoleWait * 1000, stateMs: STATE_CHANGE_MS, pollMs: options.pollInterval * 1000 },
          runId,
          now: () => new Date(),
          logger: session.logger,
          signal: controller.signal,
        });
      } finally {
        removeHandlers();
      }
      const out = options.out ?? join(session.stateDir, 'ami', target.name);
      const files = await writeAmiFiles(out, { script: vm.script, report: result.report, record: result.status === 'vetted' ? result.record : undefined });
      const retention = result.status === 'vetted' && options.keep !== undefined ? await applyRetention(ec2, target.name, options.keep, session.logger) : undefined;
      if (result.status === 'vetted') {
        const deregistered = retention?.deleted.map((d) => d.amiId) ?? [];
        const stores = [localCatalog(session.stateDir), ...(options.registry ? [(await openRegistry(options.registry)).catalog] : [])];
        for (const store of stores) {
          await updateCatalog(store, target.name, (c) => withAmi(c, catalogAmi(result.record), deregistered), { lockDir: join(session.stateDir, 'locks'), logger: session.logger, now: new Date() });
          session.logger.info(`${target.name}: ${result.record.amiId} recorded in the catalog ${store.location}`);
        }
      }
      if (options.json) printJson({ ...result, files, ...(retention ? { retention } : {}) });
      else process.stdout.write(`${summaryTable(result.report)}\n${result.status === 'vetted' ? `vetted: ${result.record.amiId} (${result.record.name}) in ${result.record.region}\n` : ''}`);
      session.logger.info(`report: ${files.json} (JUnit XML: ${files.junit}); user data: ${files.userData}`);
      if (result.status === 'rejected') {
        throw new BakeError(`${target.name}: the builder's readiness checks failed (${result.report.results.filter((r) => r.status === 'fail').map((r) => r.id).join(', ')}); no image was made`, ExitCode.CheckFailed);
      }
    });
}

async function verifyHostCommand(session: Session, target: Target, options: AmiOptions): Promise<void> {
  const planned = await planTarget(session, target);
  const host = new SshDriver(options.verifyHost!, { sshOptions: options.sshOption.flatMap((o) => ['-o', o]) });
  const report = await verifyHost({ host, ref: options.verifyHost!, plan: planned.plan, goArchivePath: planned.dist.path, logger: session.logger });
  const files = await writeReport(options.out ?? join(session.stateDir, 'reports', 'hosts', target.name), report);
  if (options.json) printJson(report);
  else process.stdout.write(`${summaryTable(report)}\n`);
  session.logger.info(`report: ${files.json} (JUnit XML: ${files.junit})`);
  if (!report.passed) throw new BakeError(`${options.verifyHost} fails the host readiness checks of ${target.name}`, ExitCode.CheckFailed);
}

function oneTarget(session: Session, name: string): Target {
  const [target, ...more] = pickTargets(session, [name]);
  if (more.length > 0) throw new BakeError(`"${name}" names ${more.length + 1} targets; bake ami takes one (e.g. ${target!.name})`, ExitCode.Usage);
  return target!;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BakeError(`--keep: expected a whole number of 1 or more (the newest vetted AMI is always kept), got "${value}"`, ExitCode.Usage);
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BakeError(`expected a number of seconds, got "${value}"`, ExitCode.Usage);
  return n;
}

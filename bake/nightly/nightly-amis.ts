import { BakeError, ExitCode, errorMessage, exitCodeOf } from '../common/errors';
import type { Logger } from '../common/log';
import type { BakedTarget } from '../pipeline/types';
import type { PlanContext } from '../plan/types';
import { buildTargetAmi, planTargetAmi, recordAmi } from '../pipeline/target-ami';
import type { CatalogStore } from '../registry/types';
import type { Ec2Api } from '../vm/ec2/ec2-api';
import type { AmiTimeouts } from '../vm/types';

export interface NightlyAmiInput {
  baked: BakedTarget[];
  ctx: PlanContext;
  ec2: Ec2Api;
  regionApi: (region: string) => Ec2Api;
  /** The catalog the run records into (the registry's, or this machine's); the local one too. */
  catalogs: CatalogStore[];
  /** Where builders download Go archives: `<base>/<official file name>`; default: where each was verified from. */
  goBaseUrl?: string;
  ec2Endpoint?: string;
  copyTo: string[];
  timeouts: AmiTimeouts;
  lockDir: string;
  now: Date;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * `bake nightly --with-ami`: after the images, the AMI of every target whose images are vetted
 * and whose AMI for these inputs (in this region) is not in the catalog yet. A failed or
 * rejected AMI marks its target failed; the others go on.
 */
export async function bakeNightlyAmis(input: NightlyAmiInput): Promise<void> {
  const [catalog] = input.catalogs;
  for (const { result, plan } of input.baked) {
    if (!plan || !['vetted', 'up-to-date', 'skipped'].includes(result.status) || input.signal?.aborted) continue;
    // A revoked AMI of these inputs is baked again: an AMI is a new image every time.
    const recorded = (await catalog.read(plan.target.name))?.amis?.find(
      (a) => a.inputsDigest === plan.inputsDigest && a.region === input.ec2.region && !a.revoked,
    );
    if (recorded) {
      result.ami = { status: 'skipped', amiId: recorded.amiId };
      continue;
    }
    try {
      const goUrl = input.goBaseUrl ? `${input.goBaseUrl.replace(/\/$/, '')}/${plan.go.filename}` : undefined;
      const vm = await planTargetAmi(input.ctx, plan.target, {
        goUrl,
        goUrlFlag: '--ami-go-base-url',
        ec2Endpoint: input.ec2Endpoint,
      });
      const built = await buildTargetAmi(vm, {
        ec2: input.ec2,
        regionApi: input.regionApi,
        copyTo: input.copyTo,
        timeouts: input.timeouts,
        logger: input.logger,
        signal: input.signal,
      });
      if (built.status !== 'vetted') {
        result.ami = {
          status: 'rejected',
          message: built.report.results
            .filter((r) => r.status === 'fail')
            .map((r) => r.reason)
            .join('; '),
        };
        throw new BakeError(`AMI rejected by its readiness checks: ${result.ami.message}`, ExitCode.CheckFailed);
      }
      await recordAmi({
        record: built.record,
        catalogs: input.catalogs,
        ec2: input.ec2,
        lockDir: input.lockDir,
        now: input.now,
        logger: input.logger,
      });
      result.ami = { status: 'vetted', amiId: built.record.amiId };
    } catch (err) {
      result.ami ??= { status: 'failed', message: errorMessage(err) };
      result.status = input.signal?.aborted ? 'interrupted' : 'failed';
      result.exitCode = exitCodeOf(err, { signal: input.signal });
      result.message = `AMI: ${errorMessage(err)}`;
      input.logger.warn(`${result.target}: ${result.message}`);
    }
  }
}

import type { Baseline } from '../drift/types';
import type { GoDistribution } from '../golang/types';
import type { Target } from '../recipe/types';

/** What the provisioning script is rendered from: the plan's Go and environment, resolved. */
export interface ProvisionInput {
  target: Target;
  /** The Go environment (Plan.env): the same values the container images carry. */
  env: Record<string, string>;
  go: Pick<GoDistribution, 'version' | 'filename' | 'sha256'>;
  /** sha256 of go/bin/go in the verified archive, which the host's own goroot check compares. */
  goBinarySha256: string;
  /** Where a host without the archive downloads it; the sha256 above is checked either way. */
  goUrl?: string;
  /** The EC2 API the builder tags itself through; the regional endpoint when absent. */
  ec2Endpoint?: string;
}

/** One result line of the script's own checks, as it prints them. */
export interface HostCheckResult {
  id: string;
  status: 'pass' | 'fail';
  reason: string;
}

/** The JSON the provisioning script writes to /var/lib/bake/readiness.json and the console. */
export interface HostResult {
  schema: 'bake.host-readiness/v1';
  target: string;
  passed: boolean;
  summary: string;
  finishedAt: string;
  results: HostCheckResult[];
}

/** What the builder published about itself through its instance tags. */
export interface PublishedVerdict {
  status: 'pass' | 'fail';
  /** "11/11 passed", or why provisioning failed. */
  summary: string;
  /** sha256 of the result line on the console, when the checks ran. */
  resultSha256?: string;
}

/** An AMI copied to another region. */
export interface AmiCopy {
  region: string;
  amiId: string;
  snapshotIds: string[];
}

/**
 * A vetted AMI, as the driver returns it: everything the catalog (bake/registry) records
 * beside OCI images, so it can be recorded there later.
 */
export interface AmiRecord {
  schema: 'bake.ami/v1';
  target: string;
  region: string;
  amiId: string;
  name: string;
  snapshotIds: string[];
  sourceAmi: string;
  goVersion: string;
  goSha256: string;
  inputsDigest: string;
  /** sha256 of the user data the builder ran. */
  userDataSha256: string;
  report: { passed: true; summary: string; source: 'console' | 'tag' };
  createdAt: string;
  copies: AmiCopy[];
  /** The host's baseline, as the builder recorded it on its console (absent when only tags were readable). */
  baseline?: Baseline;
}

/** Bounds of every wait, so a stuck builder never blocks a pipeline (and tests stay fast). */
export interface AmiTimeouts {
  /** Until the builder publishes its verdict. */
  provisionMs: number;
  /** Once the verdict is in, how long the console copy of the full result may take to show. */
  consoleMs: number;
  /** Until the builder has stopped, the image (and each copy) is available, the builder is gone. */
  stateMs: number;
  pollMs: number;
}

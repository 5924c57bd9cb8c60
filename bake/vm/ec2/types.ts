import type { Baseline } from '../../drift/types';
import type { Report } from '../../readiness/types';
import type { Target } from '../../recipe/types';
import type { AmiRecord, HostResult, PublishedVerdict } from '../types';

/** EC2's records in bake's own terms (see Ec2Api in ec2-api.ts). */
export interface Ec2Image {
  imageId: string;
  name: string;
  state: string;
  architecture?: string;
  ownerId?: string;
  creationDate?: string;
  rootDeviceName?: string;
  snapshotIds: string[];
  tags: Record<string, string>;
  /** When EC2 deprecates (or deprecated) the image, when it is set. */
  deprecationTime?: string;
}

export interface Ec2Instance {
  instanceId: string;
  state: string;
  tags: Record<string, string>;
}

export interface LaunchRequest {
  imageId: string;
  instanceType: string;
  /** The user data as EC2 takes it (the gzipped script, base64). */
  userDataBase64: string;
  instanceProfile?: string;
  securityGroupIds: string[];
  subnetId?: string;
  rootDevice?: { name: string; sizeGiB: number };
  tags: Record<string, string>;
  /** Idempotency token: a retried launch never starts a second builder. */
  clientToken: string;
}

export interface ImageFilter {
  owners?: string[];
  imageIds?: string[];
  /** EC2 filters by name: `name`, `architecture`, `tag:bake:target`... */
  filters?: Record<string, string[]>;
}

export type AmiBuildResult =
  | { status: 'vetted'; builder: string; record: AmiRecord; report: Report }
  | { status: 'rejected'; builder: string; report: Report };

export interface RetentionResult {
  kept: string[];
  deleted: { amiId: string; snapshotIds: string[] }[];
}

export interface BuilderVerdict {
  verdict: PublishedVerdict;
  /** The full result from the console, when EC2 shows it (and it is the one the tags name). */
  console?: ConsoleResult;
}

export interface ConsoleResult {
  result: HostResult;
  /** sha256 of the result line (as the script hashed its result file), to match the verdict tag. */
  sha256: string;
  /** The baseline the script recorded before its checks (bake-drift record), when the console shows it whole. */
  baseline?: Baseline;
}

export interface UserData {
  /** What EC2 receives: the script gzipped (cloud-init unpacks gzip user data itself). */
  bytes: Buffer;
  base64: string;
  /** sha256 of the script text: the name a reviewer's user-data.sh and the tags share. */
  scriptSha256: string;
}

export interface ImageFacts {
  target: Target;
  goVersion: string;
  inputsDigest: string;
  userDataSha256: string;
  summary: string;
  runId: string;
  createdAt: Date;
}

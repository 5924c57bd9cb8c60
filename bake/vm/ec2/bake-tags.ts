/**
 * Tag keys bake reads and writes on EC2 resources. The builder sets the verdict tags on its own
 * instance (its role may set no others); the driver marks what it creates so it can be found,
 * kept or cleaned up later.
 */
export const TAG = {
  managed: 'bake:managed',
  target: 'bake:target',
  runId: 'bake:run-id',
  role: 'bake:role',
  goVersion: 'bake:go-version',
  inputsDigest: 'bake:inputs-digest',
  userDataSha256: 'bake:user-data-sha256',
  vetted: 'bake:vetted',
  /** When bake created an image, to the millisecond: retention's order (EC2's CreationDate has seconds). */
  createdAt: 'bake:created-at',
  readinessSummary: 'bake:readiness-summary',
  /** Set by the builder itself: "pass" or "fail". */
  verdict: 'bake:readiness',
  /** Set by the builder itself: "10/10 passed", or why provisioning failed. */
  verdictSummary: 'bake:readiness-detail',
  /** Set by the builder itself: sha256 of the result line it printed on the console. */
  verdictSha256: 'bake:readiness-sha256',
  /** Set by an instance's daily drift check, where its role may: "clean" or "drift". */
  drift: 'bake:drift',
  driftDetail: 'bake:drift-detail',
  /** Set by `bake registry revoke` on a revoked AMI (its reason), removed by unrevoke. */
  revoked: 'bake:revoked',
  revokedAt: 'bake:revoked-at',
} as const;

/** The prefix every verdict tag starts with: the builder's role may set only these. */
export const VERDICT_TAG_PREFIX = 'bake:readiness';

/** Lines around the script's JSON result on the console, so the driver can cut it out of the boot log. */
export const RESULT_BEGIN = '===== bake readiness result: begin =====';
export const RESULT_END = '===== bake readiness result: end =====';
/** Lines around the baseline the provisioning script records (bake-drift record), before its result. */
export const BASELINE_BEGIN = '===== bake baseline: begin =====';
export const BASELINE_END = '===== bake baseline: end =====';
/** Printed (and written to the failure marker) when provisioning stops on an error. */
export const FAILURE_MARK = '===== bake provisioning FAILED =====';

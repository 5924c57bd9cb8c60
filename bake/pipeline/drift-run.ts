import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BakeError, ExitCode } from '../common/errors';
import { getListings } from '../drift/baseline-blobs';
import { captureArtifact, type LiveCapture } from '../drift/capture';
import { specOf } from '../drift/capture-spec';
import { compareCaptures, splitKey } from '../drift/compare';
import { containerAccess, imageAccess } from '../drift/docker-access';
import type { Baseline, DriftReport, DriftSubject, TreeListing } from '../drift/types';
import { connectEngine } from '../engine/daemon/embedded-engine';
import type { DockerEngine } from '../engine/docker-engine';
import { userHome } from '../plan/go-environment';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import type { ImageKind, Target } from '../recipe/types';
import { catalogRecords } from '../registry/catalog-records';
import { catalogAmiOf, catalogImageOf, noBaseline, type ImageIdentity } from '../registry/catalog-match';
import type { CatalogStore } from '../registry/types';
import { listingMatches } from '../drift/tree-listing';
import { parseHostCapture } from '../vm/host/host-baseline';
import { SshDriver } from '../vm/host/ssh-driver';
import { HOST_BASELINE_DIR, renderDriftScript } from '../vm/provision/drift-script';
import { withInterrupts } from './interrupts';
import type { Session } from './session';

export interface DriftRunInput {
  session: Session;
  /** Exactly one of them: what to compare. */
  subject: { container?: string; image?: string; host?: string };
  /** The catalog the baseline comes from (this machine's, or a registry's). */
  catalog: CatalogStore;
  /** Names the baseline instead of the image's own identity; required for a host. */
  target?: string;
  /** With a target: which image kind's baseline (default toolchain). */
  kind?: ImageKind;
  engine?: string;
  /** ssh -o options for --host. */
  sshOptions?: string[];
}

/**
 * `bake drift`: a live container, image or host against the baseline recorded when what it came
 * from was vetted. Returns the report; the caller decides what drift means for its exit.
 */
export async function runDrift(input: DriftRunInput): Promise<DriftReport> {
  const started = performance.now();
  const { container, image, host } = input.subject;
  if ([container, image, host].filter(Boolean).length !== 1)
    throw new BakeError('name exactly one of --container, --image, --host', ExitCode.Usage);
  const compared = host ? await hostDrift(input, host) : await engineDrift(input);
  const findings = compareCaptures(compared.baseline, compared.live, (key) => {
    const family = splitKey(key)[0];
    return compared.live.evidence[family] ?? compared.live.evidence[family.split('.')[0]] ?? family;
  });
  return {
    schema: 'bake.drift/v1',
    subject: compared.subject,
    target: compared.target,
    baseline: {
      kind: compared.baseline.baseline.kind,
      capturedAt: compared.baseline.baseline.capturedAt,
      source: compared.source,
      artifact: compared.artifact,
    },
    drifted: findings.length > 0,
    findings,
    checkedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
}

interface Compared {
  subject: DriftSubject;
  target: string;
  source: string;
  artifact: string;
  baseline: { baseline: Baseline; values: Record<string, string>; trees: Record<string, TreeListing> };
  live: LiveCapture & { values: Record<string, string> };
}

async function engineDrift(input: DriftRunInput): Promise<Compared> {
  const { session } = input;
  const engine = await connectEngine({ stateDir: session.stateDir, logger: session.logger, endpoint: input.engine });
  const subject: DriftSubject = input.subject.container
    ? { kind: 'container', ref: input.subject.container }
    : { kind: 'image', ref: input.subject.image! };
  const running = subject.kind === 'container' ? await openContainer(engine, subject.ref) : undefined;
  const imageRef = running?.image ?? subject.ref;
  const details = await engine.inspectImage(imageRef);
  if (!details && subject.kind === 'image')
    throw new BakeError(`image ${subject.ref} is not in the engine at ${engine.endpoint}`, ExitCode.Usage);
  subject.id = subject.kind === 'container' ? running!.id : details!.id;
  const identity: ImageIdentity | undefined = details && {
    id: details.id,
    repoDigests: details.digests,
    labels: details.labels,
  };
  const named = input.target ? { target: input.target, kind: input.kind ?? 'toolchain' } : undefined;
  const entry = catalogImageOf((await catalogRecords(input.catalog)).images, identity, named);
  if (!entry?.baseline)
    throw noBaseline(
      `${subject.kind} ${subject.ref}${identity ? ` (image ${identity.id.slice(0, 19)})` : ''}`,
      input.catalog.location,
      entry
        ? `${entry.target} ${entry.kind} was vetted before bake recorded baselines: rebuild it (bake build --force)`
        : 'name its target with --target (and --kind)',
    );
  const baseline = entry.baseline;
  const spec = specOf(baseline, userOf(session.targets, entry.target));
  const name = `${subject.kind} ${subject.ref}`;
  const runId = randomBytes(6).toString('hex');
  const live = await withInterrupts(
    { logger: session.logger, cleanup: () => removeReadinessContainers(engine.docker, runId) },
    async () => {
      if (running) return captureArtifact(running.access, spec, name, new Date());
      const access = await imageAccess(engine.docker, subject.ref, { run: baseline.kind !== 'runtime', runId });
      try {
        return await captureArtifact(access, spec, name, new Date());
      } finally {
        await access.close();
      }
    },
  );
  if (running && !running.access.exec && baseline.kind !== 'runtime')
    session.logger.warn(`${name} is not running: its files are compared, its go env cannot be`);
  return {
    subject,
    target: entry.target,
    source: input.catalog.location,
    artifact: `${entry.repository}:${entry.tag} (${entry.manifestDigest ?? entry.imageId})`,
    baseline: {
      baseline,
      values: running && !running.access.exec ? withoutCommands(baseline.values) : baseline.values,
      trees: await getListings(input.catalog, baseline),
    },
    live: { ...live, values: live.baseline.values },
  };
}

async function openContainer(engine: DockerEngine, ref: string) {
  try {
    const access = await containerAccess(engine.docker, ref);
    const id = (await engine.docker.getContainer(ref).inspect()).Id;
    return { access, image: access.image, id };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404)
      throw new BakeError(`no container ${ref} in the engine at ${engine.endpoint}`, ExitCode.Usage);
    throw err;
  }
}

/** A stopped container runs nothing: its go env records are left out of the comparison. */
function withoutCommands(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('go.env')));
}

function userOf(targets: Target[], name: string): { name: string; home: string } {
  const target = targets.find((t) => t.name === name);
  const user = target?.user ?? { name: 'gobuild', uid: 10001, gid: 10001 };
  return { name: user.name, home: userHome(user) };
}

/**
 * A host over ssh: the target's own drift script captures it (as the host's timer does), and
 * the baseline is the one the catalog recorded for the target's AMI; the host's own copy is
 * used for its listings only when the catalog's record vouches for them, and as the baseline
 * itself only when the catalog has none (the report says which).
 */
async function hostDrift(input: DriftRunInput, host: string): Promise<Compared> {
  const { session } = input;
  if (!input.target)
    throw new BakeError('--host needs --target: the target whose AMI the host came from', ExitCode.Usage);
  const target = session.targets.find((t) => t.name === input.target);
  if (!target) throw new BakeError(`--target: unknown target "${input.target}"`, ExitCode.Usage);
  const ssh = new SshDriver(host, { sshOptions: (input.sshOptions ?? []).flatMap((o) => ['-o', o]) });
  const script = renderDriftScript({ target });
  const run = async (command: string) => {
    const result = await ssh.runScript(script, [command]);
    return { ...result, parsed: parseHostCapture(result.stdout) };
  };
  const live = await run('capture');
  if (live.exitCode !== 0 || !Object.keys(live.parsed.values).length)
    throw new BakeError(
      `capturing ${host} failed (exit ${live.exitCode}): ${lastLine(live.stderr)}`,
      live.exitCode === 255 ? ExitCode.Unavailable : ExitCode.Failure,
    );
  const stored = await run('baseline');
  const hostCopy = stored.exitCode === 0 && Object.keys(stored.parsed.values).length ? stored.parsed : undefined;
  const ami = catalogAmiOf((await catalogRecords(input.catalog)).amis, target.name);
  let baseline: Baseline;
  let source: string;
  let artifact: string;
  let trees: Record<string, TreeListing> = {};
  if (ami?.baseline) {
    baseline = ami.baseline;
    source = input.catalog.location;
    artifact = `${ami.amiId} (${ami.region})`;
    for (const [root, listing] of Object.entries(hostCopy?.trees ?? {}))
      if (listingMatches(listing, baseline.values[`tree:${root}`] ?? '')) trees[root] = listing;
  } else if (hostCopy) {
    session.logger.warn(
      `the catalog ${input.catalog.location} has no baseline for an AMI of ${target.name}: ` +
        `comparing with the copy ${host} keeps in ${HOST_BASELINE_DIR} ` +
        '(a host that was tampered with may have changed it too)',
    );
    baseline = { schema: 'bake.baseline/v1', kind: 'vm', capturedAt: '', values: hostCopy.values };
    source = `${host}:${HOST_BASELINE_DIR}`;
    artifact = 'this host';
    trees = hostCopy.trees;
  } else {
    throw noBaseline(`host ${host}`, input.catalog.location, `and ${host} has no ${HOST_BASELINE_DIR} either`);
  }
  const how =
    `ssh ${host}: bake-drift capture as root (sudo), ` + `go env as ${target.user.name}, files with stat and sha256sum`;
  return {
    subject: { kind: 'host', ref: host },
    target: target.name,
    source,
    artifact,
    baseline: { baseline, values: baseline.values, trees },
    live: {
      baseline: {
        schema: 'bake.baseline/v1',
        kind: 'vm',
        capturedAt: new Date().toISOString(),
        values: live.parsed.values,
      },
      trees: live.parsed.trees,
      values: live.parsed.values,
      evidence: { user: how, env: how, 'go.env': how, 'go.env.login': how, file: how, tree: how, vm: how },
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

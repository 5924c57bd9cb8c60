import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { FAMILY } from '../../../bake/render/family';
import { goEnvironment } from '../../../bake/plan/go-environment';
import { renderContexts } from '../../../bake/render/render-contexts';
import type { RenderedContext } from '../../../bake/render/types';
import { fixtureCore, handMadeTarget, shippedTargets } from './render-fixtures';

const text = (ctx: RenderedContext, path: string) => ctx.files.find((f) => f.path === path)!.content.toString('utf8');
const contextOf = (contexts: RenderedContext[], kind: string) => contexts.find((c) => c.kind === kind)!;
/** The instructions of the last stage (the image itself, not the builder). */
const finalStage = (dockerfile: string) => dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('renderContexts', () => {
  it('is deterministic: two renders give identical files, paths sorted', async () => {
    for (const target of await shippedTargets()) {
      const a = renderContexts(fixtureCore(target));
      const b = renderContexts(fixtureCore(target));
      expect(a).toEqual(b);
      for (const ctx of a) {
        const paths = ctx.files.map((f) => f.path);
        expect(paths).toEqual([...paths].sort());
      }
    }
  });

  it('names the standard-library cache by the Go release and arch alone, the builder by the whole plan stage', () => {
    const images = (target = handMadeTarget(), go?: ReturnType<typeof fixtureCore>['go']) =>
      renderContexts(go ? fixtureCore(target, go) : fixtureCore(target))[0].images;
    const plain = images();
    // Another family, base, user and tool: another builder, the same cache.
    const other = images(
      handMadeTarget({
        family: 'rhel',
        base: { ref: `registry.example/other:9@sha256:${'1'.repeat(64)}` },
        user: { name: 'builder', uid: 2000, gid: 2000 },
        tools: [{ name: 'stringer', package: 'golang.org/x/tools/cmd/stringer' }],
      }),
    );
    expect(plain.stdCache).toMatch(/^bake-cache\/std:amd64-[0-9a-f]{32}$/);
    expect(other.stdCache).toBe(plain.stdCache);
    expect(other.bin).not.toBe(plain.bin);
    // Another arch, another Go, or flags that change what is compiled: another cache.
    const arm = images(handMadeTarget({ name: 'testos1-arm64', arch: 'arm64' }));
    expect(arm.stdCache).toMatch(/^bake-cache\/std:arm64-/);
    const newerGo = { ...fixtureCore(handMadeTarget()).go, sha256: 'f'.repeat(64) };
    expect(images(handMadeTarget(), newerGo).stdCache).not.toBe(plain.stdCache);
    const trimmed = images(handMadeTarget({ env: { ...handMadeTarget().env, GOFLAGS: '-mod=readonly -trimpath' } }));
    expect(trimmed.stdCache).not.toBe(plain.stdCache);
    // The Dockerfile names the cache image, and the builder starts from it.
    const dockerfile = text(renderContexts(fixtureCore(handMadeTarget()))[0], 'Dockerfile');
    expect(dockerfile).toContain(`\nARG STD_CACHE_IMAGE=${plain.stdCache}\n`);
    expect(dockerfile).toContain('\nFROM ${STD_CACHE_IMAGE} AS builder-cache\n');
  });

  it('gives one context per kind of the target, naming the Go image by the verified sha256, never the archive', () => {
    const core = fixtureCore(handMadeTarget({ kinds: ['runtime'] }));
    const contexts = renderContexts(core);
    expect(contexts.map((c) => c.kind)).toEqual(['runtime']);
    expect(contexts[0].images.go).toBe(`bake-cache/go:sha256-${core.go.sha256}`);
    expect(contexts[0].files.some((f) => f.path.endsWith('.tar.gz'))).toBe(false);
    expect(contexts[0].files.map((f) => f.path)).toEqual([
      'Dockerfile',
      'cachetime/go.mod',
      'cachetime/main.go',
      'files/runtime/group',
      'files/runtime/nsswitch.conf',
      'files/runtime/passwd',
      'probe/go.mod',
      'probe/main.go',
    ]);
  });

  it('puts the Go environment in ENV, profile.d and go.env with the same values', () => {
    const core = fixtureCore(handMadeTarget());
    const ctx = contextOf(renderContexts(core), 'toolchain');
    const env = goEnvironment(core.target);
    expect(Object.keys(env)).toEqual([
      'GOROOT',
      'PATH',
      'GOPATH',
      'GOBIN',
      'GOCACHE',
      'GOMODCACHE',
      'GOPROXY',
      'GOSUMDB',
      'GOPRIVATE',
      'GONOPROXY',
      'GONOSUMDB',
      'GOFLAGS',
      'GO111MODULE',
      'GOTOOLCHAIN',
      'CGO_ENABLED',
    ]);
    expect(env.PATH.split(':').slice(0, 2)).toEqual(['/usr/local/go/bin', '/home/gobuild/go/bin']);
    const dockerfile = text(ctx, 'Dockerfile');
    for (const [key, value] of Object.entries(env)) expect(dockerfile).toContain(`${key}="${value}"`);
    const goEnv = text(ctx, 'policy/usr/local/go/go.env');
    expect(goEnv.split('\n').filter((l) => /^[A-Z]/.test(l))).toEqual([
      'GOPROXY=https://proxy.golang.org,direct',
      'GOSUMDB=sum.golang.org',
      'GOPRIVATE=',
      'GONOPROXY=',
      'GONOSUMDB=',
      'GOFLAGS=-mod=readonly',
      'GO111MODULE=on',
      'GOTOOLCHAIN=local',
      'CGO_ENABLED=0',
    ]);
    const sourced = execFileSync(
      'sh',
      ['-c', '. "$1" && env', 'sh', writeTemp(text(ctx, 'policy/etc/profile.d/go-env.sh'))],
      { env: {}, encoding: 'utf8' },
    );
    for (const [key, value] of Object.entries(env)) expect(sourced.split('\n')).toContain(`${key}=${value}`);
  });

  it('quotes hostile policy values safely in go-env.sh, ENV and go.env', () => {
    const hostile = `corp.example/it's,$(touch /tmp/pwned),\`id\`,"q",back\\slash,$HOME`;
    const target = handMadeTarget();
    const core = fixtureCore({ ...target, env: { ...target.env, GOPRIVATE: hostile, GOFLAGS: `-tags=a'b$c` } });
    const ctx = contextOf(renderContexts(core), 'toolchain');
    const script = writeTemp(text(ctx, 'policy/etc/profile.d/go-env.sh'));
    const out = execFileSync('sh', ['-c', '. "$1" && printf "%s\\n%s" "$GOPRIVATE" "$GOFLAGS"', 'sh', script], {
      env: {},
      encoding: 'utf8',
    });
    expect(out).toBe(`${hostile}\n-tags=a'b$c`);
    expect(text(ctx, 'Dockerfile')).toContain(
      `GOPRIVATE="corp.example/it's,\\$(touch /tmp/pwned),\`id\`,\\"q\\",back\\\\slash,\\$HOME"`,
    );
    expect(text(ctx, 'Dockerfile')).toContain(`GOFLAGS="-tags=a'b\\$c"`);
    expect(text(ctx, 'policy/usr/local/go/go.env')).toContain(`\nGOPRIVATE=${hostile}\n`);
  });

  it('refuses a value with a line break: it would start a new instruction', () => {
    const target = handMadeTarget();
    const core = fixtureCore({ ...target, env: { ...target.env, GOSUMDB: 'sum.golang.org\nRUN curl evil' } });
    const err = caught(() => renderContexts(core));
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.InvalidRecipe);
    expect((err as Error).message).toContain('line break');
  });

  it('differs between families only in package manager and CA bundle', async () => {
    const targets = await shippedTargets();
    const rocky = fixtureCore(targets.find((t) => t.name === 'rocky9-amd64')!);
    const debian = fixtureCore(targets.find((t) => t.name === 'debian12-amd64')!);
    const rhelFile = text(contextOf(renderContexts(rocky), 'toolchain'), 'Dockerfile');
    const debFile = text(contextOf(renderContexts(debian), 'toolchain'), 'Dockerfile');
    expect(rhelFile).toContain('yum install -y --setopt=tsflags=nodocs ca-certificates git tzdata');
    expect(rhelFile).toContain('yum clean all');
    expect(rhelFile).not.toContain('apt-get');
    expect(debFile).toContain(
      'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -- ca-certificates git tzdata',
    );
    expect(debFile).toContain('find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete');
    expect(debFile).not.toContain('yum');
    expect(FAMILY.debian.caBundlePath).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(FAMILY.rhel.caBundlePath).toBe('/etc/pki/tls/certs/ca-bundle.crt');
    // Everything outside the package step is the same text for both families.
    const withoutPackages = (d: string, target: string) =>
      d
        .replace(/^RUN (apt-get|yum|if grep)[^\n]*(\n [^\n]*)*/gm, 'RUN <packages>')
        .replace(/rocky9-amd64|debian12-amd64/g, target);
    const stripLabelsAndBase = (d: string) =>
      d.replace(/^ARG BASE_IMAGE=.*$/m, 'ARG BASE_IMAGE=...').replace(/^LABEL [\s\S]*?(?=\nUSER )/m, 'LABEL ...');
    expect(stripLabelsAndBase(withoutPackages(rhelFile, 'T'))).toBe(stripLabelsAndBase(withoutPackages(debFile, 'T')));
  });

  it('builds a runtime image from scratch: CA bundle, zoneinfo, package records, the build user', () => {
    const ctx = contextOf(renderContexts(fixtureCore(handMadeTarget())), 'runtime');
    const dockerfile = text(ctx, 'Dockerfile');
    const rootfs = dockerfile.slice(
      dockerfile.indexOf('FROM ${BASE_IMAGE} AS rootfs'),
      dockerfile.indexOf('\nFROM scratch AS runtime'),
    );
    expect(rootfs).toContain('apt-get install -y --no-install-recommends -- ca-certificates tzdata');
    expect(rootfs).toContain('WORKDIR /rootfs\n');
    expect(rootfs).toContain(
      'install -d -m 0755 -- ./etc/ssl/certs ./usr/share ./etc ./usr/lib ./usr/share/doc/ca-certificates ' +
        './usr/share/doc/tzdata \\\n',
    );
    expect(rootfs).toContain('cp -a -- /etc/ssl/certs/ca-certificates.crt ./etc/ssl/certs/ \\\n');
    expect(rootfs).toContain('cp -a -- /usr/share/zoneinfo ./usr/share/ \\\n');
    expect(rootfs).toContain('dpkg-query --status -- tzdata > ./var/lib/dpkg/status.d/tzdata');
    expect(rootfs).toContain('install -d -m 1777 -- ./tmp');
    expect(rootfs).toContain('install -d -m 0700 -o 10001 -g 10001 -- ./home/gobuild');
    const final = finalStage(dockerfile);
    expect(final).toMatch(/^\nFROM scratch AS runtime\nCOPY --from=rootfs \/rootfs\/ \/\n/);
    // Nothing of the toolchain, and no RUN: a scratch stage has nothing to run it with.
    expect(final).not.toMatch(/\bgit\b|\/usr\/local\/go|bake-probe|^ENV|^ADD|^RUN/m);
    expect(final).toContain('io.bake.kind="runtime"');
    expect(final).toMatch(/\nUSER 10001:10001\nWORKDIR \/home\/gobuild\n$/);
    expect(text(ctx, 'files/runtime/passwd')).toBe(
      'root:x:0:0:root:/root:/sbin/nologin\n' +
        'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' +
        'gobuild:x:10001:10001:gobuild:/home/gobuild:/sbin/nologin\n',
    );
    expect(text(ctx, 'files/runtime/group')).toBe('root:x:0:\nnogroup:x:65534:\ngobuild:x:10001:\n');
  });

  it('takes the rhel CA bundle, and the link Go reads it by, and writes no dpkg records there', () => {
    const rhel = handMadeTarget({ family: 'rhel' });
    const dockerfile = text(contextOf(renderContexts(fixtureCore(rhel)), 'runtime'), 'Dockerfile');
    expect(dockerfile).toContain(
      'cp -a -- /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem ./etc/pki/ca-trust/extracted/pem/ \\\n',
    );
    expect(dockerfile).toContain('cp -a -- /etc/pki/tls/certs/ca-bundle.crt ./etc/pki/tls/certs/ \\\n');
    expect(dockerfile).not.toContain('dpkg-query');
  });

  it('orders the toolchain layers base, packages, Go, user, build cache, binaries, policy files, ENV, labels', () => {
    const ctx = contextOf(renderContexts(fixtureCore(handMadeTarget())), 'toolchain');
    const dockerfile = text(ctx, 'Dockerfile');
    const instructions = dockerfile
      .slice(dockerfile.indexOf('\nFROM ${BASE_IMAGE} AS toolchain-stem\n'))
      .split('\n')
      .filter((l) => /^[A-Z]+ /.test(l))
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(instructions).toEqual([
      'FROM ${BASE_IMAGE}',
      'ARG SOURCE_DATE_EPOCH=1793651780',
      'RUN apt-get',
      'COPY --from=go',
      'RUN --mount=type=bind,from=bin,source=/cache/go-build,target=/run/bake-cache',
      'RUN --mount=type=bind,from=bin,source=/out,target=/run/bake-bin',
      'FROM toolchain-stem',
      'COPY policy/',
      'ENV GOROOT="/usr/local/go"',
      'LABEL org.opencontainers.image.created="2026-11-02T20:36:20Z"',
      'USER 10001:10001',
      'WORKDIR /home/gobuild',
    ]);
    expect(text(ctx, 'Dockerfile')).toMatch(/^# The toolchain image/); // no syntax line by default
    expect(text(ctx, 'Dockerfile')).toContain('ARG BASE_IMAGE=registry.example/testos:1@sha256:');
  });

  it("gives the toolchain's last stage as data that says what its instructions say", () => {
    const ctx = contextOf(renderContexts(fixtureCore(handMadeTarget())), 'toolchain');
    const final = finalStage(text(ctx, 'Dockerfile'));
    const policy = ctx.policy!;
    expect(final.startsWith(`\nFROM ${policy.stem} AS toolchain\nCOPY ${policy.dir}/ /\n`)).toBe(true);
    // Each instruction's `KEY="value"` pairs, continued over lines, unquoted.
    const pairs = (instruction: string) => {
      const body = new RegExp(`\\n${instruction} ((?:.*\\\\\\n)*.*)\\n`).exec(final)![1];
      return [...body.matchAll(/([\w.-]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2].replace(/\\(.)/g, '$1')]);
    };
    expect(pairs('ENV')).toEqual(policy.env);
    expect(Object.fromEntries(pairs('LABEL'))).toEqual(policy.labels);
    expect(final).toContain(`\nUSER ${policy.user}\nWORKDIR ${policy.workdir}\n`);
    expect(ctx.files.filter((f) => f.path.startsWith(`${policy.dir}/`)).map((f) => f.path)).toEqual([
      'policy/etc/profile.d/go-env.sh',
      'policy/usr/local/go/go.env',
    ]);
    expect(contextOf(renderContexts(fixtureCore(handMadeTarget())), 'runtime').policy).toBeUndefined();
  });

  it('builds the probe and the tools static and stripped, modules off', () => {
    const core = fixtureCore(handMadeTarget({ tools: [{ name: 'vet-shadow', package: 'cmd/vet' }] }));
    const dockerfile = text(contextOf(renderContexts(core), 'toolchain'), 'Dockerfile');
    expect(dockerfile).toContain(
      'ENV CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=readonly',
    );
    expect(dockerfile).toContain(
      'RUN ["/usr/local/go/bin/go","build","-trimpath","-ldflags=-s -w","-o","/probe/bake-probe","--","."]\n' +
        'RUN ["/usr/local/go/bin/go","build","-trimpath","-ldflags=-s -w","-o","/out/vet-shadow","--","cmd/vet"]\n',
    );
    expect(dockerfile).toContain('FROM --platform=$BUILDPLATFORM ${GO_BUILD_IMAGE} AS builder');
  });

  it('refuses tools it cannot build offline and the probe name', () => {
    const versioned = fixtureCore(
      handMadeTarget({ tools: [{ name: 'lint', package: 'honnef.co/go/tools/cmd/staticcheck@v0.5.1' }] }),
    );
    expect(() => renderContexts(versioned)).toThrow(
      /carries a version; a module tool names its module and version apart/,
    );
    const clash = fixtureCore(handMadeTarget({ tools: [{ name: 'bake-probe', package: 'cmd/vet' }] }));
    expect(() => renderContexts(clash)).toThrow(/reserved/);
  });

  it('adds a syntax line only when asked, and checks it', () => {
    const core = fixtureCore(handMadeTarget());
    const [ctx] = renderContexts(core, { dockerfileSyntax: 'registry.example/docker/dockerfile:1.7' });
    expect(text(ctx, 'Dockerfile').split('\n')[0]).toBe('# syntax=registry.example/docker/dockerfile:1.7');
    expect(() => renderContexts(core, { dockerfileSyntax: 'x\nRUN id' })).toThrow(BakeError);
  });

  it('refuses an archive digest that is not a sha256 (it names the Go image)', () => {
    const core = fixtureCore(handMadeTarget());
    expect(() => renderContexts({ ...core, go: { ...core.go, sha256: 'x $(id)' } })).toThrow(/not a sha256/);
  });

  it("labels every image with the plan labels plus its kind, and only the release's time", () => {
    const core = fixtureCore(handMadeTarget());
    expect(core.labels).toEqual({
      'org.opencontainers.image.created': '2026-11-02T20:36:20Z',
      'org.opencontainers.image.title': 'testos1-go',
      'org.opencontainers.image.description': 'Go 1.22.12 on testos 1 (amd64), built and checked by bake',
      'org.opencontainers.image.vendor': 'bake',
      'org.opencontainers.image.version': '1.22.12',
      'org.opencontainers.image.base.name': 'registry.example/testos:1',
      'org.opencontainers.image.base.digest': `sha256:${'0'.repeat(64)}`,
      'io.bake.recipe': 'testos1',
      'io.bake.target': 'testos1-amd64',
      'io.bake.go.version': '1.22.12',
      'io.bake.go.sha256': core.go.sha256,
      'io.bake.go.source': 'official',
      'io.bake.go.filename': 'go1.22.12.linux-amd64.tar.gz',
    });
    for (const ctx of renderContexts(core)) {
      expect(text(ctx, 'Dockerfile')).toContain(`io.bake.kind="${ctx.kind}"`);
      // The one time in a Dockerfile is the plan's epoch: nothing of the wall clock.
      expect(text(ctx, 'Dockerfile').match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g)).toEqual(['2026-11-02T20:36:20Z']);
    }
  });
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
}

let tempDir: string | undefined;
function writeTemp(content: string): string {
  tempDir ??= mkdtempSync(join(tmpdir(), 'bake-render-'));
  const path = join(tempDir, `f${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(path, content);
  return path;
}
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

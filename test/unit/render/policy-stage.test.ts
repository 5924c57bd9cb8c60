import { goEnvironment } from '../../../bake/plan/go-environment';
import { policyLayer, stemImageRef } from '../../../bake/render/policy-stage';
import { renderContexts } from '../../../bake/render/render-contexts';
import type { RenderedContext } from '../../../bake/render/types';
import { contextFileMtime, CONTEXT_MTIME } from '../../../bake/render/write-context';
import { fixtureCore, handMadeTarget } from './render-fixtures';

const toolchainOf = (core: ReturnType<typeof fixtureCore>): RenderedContext =>
  renderContexts(core).find((c) => c.kind === 'toolchain')!;
const base = { ref: 'bake-base/testos:amd64', digest: `sha256:${'a'.repeat(64)}` };

describe('policyLayer', () => {
  it('lays the policy tree out under / with the modes and times of the written context', () => {
    const ctx = toolchainOf(fixtureCore(handMadeTarget()));
    const entries = policyLayer(ctx, ctx.policy!);
    const file = (path: string) => ctx.files.find((f) => f.path === `policy/${path}`)!;
    expect(entries.map((e) => [e.path, e.mode.toString(8), e.content ? 'file' : 'dir'])).toEqual([
      ['etc/profile.d/go-env.sh', '644', 'file'],
      ['etc', '755', 'dir'],
      ['etc/profile.d', '755', 'dir'],
      ['usr/local/go/go.env', '644', 'file'],
      ['usr', '755', 'dir'],
      ['usr/local', '755', 'dir'],
      ['usr/local/go', '755', 'dir'],
    ]);
    const goEnv = entries.find((e) => e.path === 'usr/local/go/go.env')!;
    expect(goEnv.content!.equals(file('usr/local/go/go.env').content)).toBe(true);
    expect(goEnv.mtime).toEqual(contextFileMtime(file('usr/local/go/go.env').content));
    expect(entries.find((e) => e.path === 'usr')!.mtime).toEqual(CONTEXT_MTIME);
  });
});

describe('stemImageRef', () => {
  const target = handMadeTarget();
  const core = fixtureCore(target);
  const ref = (c: RenderedContext, b = base) => stemImageRef(c, c.policy!, b, 'amd64');

  it('stays the same when only the policy changes: its files, its environment, the labels', () => {
    const changed = fixtureCore(target);
    changed.env = { ...goEnvironment(target), GOPROXY: 'https://proxy.example,direct' };
    changed.labels = { ...changed.labels, 'io.bake.inputs-digest': 'sha256:other' };
    const before = toolchainOf(core);
    const after = toolchainOf(changed);
    expect(after.files.find((f) => f.path === 'policy/usr/local/go/go.env')!.content).not.toEqual(
      before.files.find((f) => f.path === 'policy/usr/local/go/go.env')!.content,
    );
    expect(ref(after)).toBe(ref(before));
    expect(ref(before)).toMatch(/^bake-cache\/stem:amd64-[0-9a-f]{32}$/);
  });

  it('changes with the base, with a file the stem reads, and with the Dockerfile above the policy', () => {
    const ctx = toolchainOf(core);
    expect(ref(ctx, { ...base, digest: `sha256:${'b'.repeat(64)}` })).not.toBe(ref(ctx));
    const withFile = (path: string, content: string): RenderedContext => ({
      ...ctx,
      files: ctx.files.map((f) => (f.path === path ? { ...f, content: Buffer.from(content) } : f)),
    });
    expect(ref(withFile('files/go-telemetry-mode', 'on\n'))).not.toBe(ref(ctx));
    const dockerfile = ctx.files.find((f) => f.path === 'Dockerfile')!.content.toString('utf8');
    expect(ref(withFile('Dockerfile', dockerfile.replace('useradd', 'useradd --system')))).not.toBe(ref(ctx));
    expect(ref(withFile('Dockerfile', dockerfile.replace('\nUSER ', '\nUSER 0\nUSER ')))).toBe(ref(ctx));
  });
});

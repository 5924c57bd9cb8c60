import { renderContexts } from '../../../bake/render/render-contexts';
import { builderTrustBundle, GO_PROXY_ARG, moduleToolSteps } from '../../../bake/render/module-tools';
import type { RenderedContext } from '../../../bake/render/types';
import { fixtureCore, handMadeTarget } from './render-fixtures';

const sum = `h1:${Buffer.alloc(32, 5).toString('base64')}`;
const target = handMadeTarget({
  env: { ...handMadeTarget().env, GOPRIVATE: 'corp.example.com' },
  tools: [
    { name: 'vet-shadow', package: 'cmd/vet' },
    {
      name: 'release',
      package: 'corp.example.com/platform/cmd/release',
      module: { path: 'corp.example.com/platform', version: 'v1.4.2', sum },
    },
  ],
});
const text = (ctx: RenderedContext, path: string) => ctx.files.find((f) => f.path === path)!.content.toString('utf8');

describe('module tools in the builder stage', () => {
  test('none: the builder stage is what it always was', () => {
    expect(moduleToolSteps(handMadeTarget({ tools: [{ name: 'vet', package: 'cmd/vet' }] }))).toEqual([]);
  });

  test('the credential is a secret mount of the tool step alone; the proxy a build argument', () => {
    const steps = moduleToolSteps(target).join('\n');
    const run = steps.split('\n').filter((l) => l.startsWith('RUN --mount'));
    expect(run).toEqual([
      'RUN --mount=type=secret,id=netrc --mount=type=secret,id=goauth ' +
        '--mount=type=tmpfs,target=/tmp/go/pkg/mod ' +
        JSON.stringify([
          '/tmp/bake-gotools/bake-gotools',
          'build',
          'release',
          'corp.example.com/platform',
          'v1.4.2',
          'corp.example.com/platform/cmd/release',
          sum,
          '/out/release',
        ]),
    ]);
    expect(steps).toContain(`ARG ${GO_PROXY_ARG}\n`);
    expect(steps).toContain(`GOPROXY=$${GO_PROXY_ARG}`);
    expect(steps).toContain('GOPRIVATE="corp.example.com"');
    // The go command runs a GOAUTH command by its own words: no "command" keyword before them.
    expect(steps).toContain('GOAUTH="netrc;/tmp/bake-gotools/bake-gotools goauth /run/secrets/goauth"');
    // Only secret mounts carry the credential: no build argument or env value names one.
    expect(steps).not.toMatch(/ARG (NETRC|GOAUTH|TOKEN)|--secret|src=/);
  });

  test('the contexts carry the helper and the builder trust: the site CA first, then public roots', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const withCa = {
      ...target,
      ca: { extra: [{ file: 'files/corp.pem', subject: 'CN=Corp', sha256: 'ab'.repeat(32), pem }] },
    };
    const trust = builderTrustBundle(withCa);
    expect(trust.startsWith(pem)).toBe(true);
    expect(trust.match(/BEGIN CERTIFICATE/g)!.length).toBeGreaterThan(100);
    const [ctx] = renderContexts(fixtureCore(withCa));
    expect(ctx.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'gotools/go.mod',
        'gotools/main.go',
        'gotools/trust.pem',
        'files/ca/bake-abababababababab.crt',
      ]),
    );
    expect(text(ctx, 'gotools/trust.pem')).toBe(trust);
    // Both kinds name one builder image, whose tag changes with the trust it was built with.
    const other = renderContexts(
      fixtureCore({ ...withCa, ca: { extra: [{ ...withCa.ca.extra[0], pem: `${pem}\n` }] } }),
    );
    expect(other[0].images.bin).not.toBe(ctx.images.bin);
  });
});

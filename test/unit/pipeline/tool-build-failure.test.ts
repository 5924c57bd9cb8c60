import { BakeError, ExitCode } from '../../../bake/common/errors';
import { BuildFailedError } from '../../../bake/engine/build/build-failure';
import type { ModuleBuild } from '../../../bake/pipeline/types';
import { toolBuildFailure } from '../../../bake/pipeline/tool-build-failure';

const token = `tok${'5a4b3c2d1e'.repeat(3)}`;
const proxy = { url: 'https://goproxy.corp.example.com', source: 'go.proxy of recipes/corp.yaml' };
const withCredential: ModuleBuild = {
  proxy,
  buildArgs: {},
  secrets: [{ id: 'netrc', file: '/x/netrc' }],
  credentials: { secrets: [{ id: 'netrc', file: '/x/netrc' }], sources: ['--secret netrc'], redactions: [token] },
};
const without: ModuleBuild = { proxy, buildArgs: {}, secrets: [] };
const failed = (line: string) =>
  new BuildFailedError('corp-amd64/builder', '#4 tools', [`bake-gotools: ${line}`], 'exit 10');
const told = (err: unknown): { code: number; message: string } => {
  expect(err).toBeInstanceOf(BakeError);
  return { code: (err as BakeError).exitCode, message: (err as BakeError).message };
};

describe('a failed tool step, in the terms of what went wrong', () => {
  const ref = 'corp.example.com/tool@v1.0.0';
  const status401 = `${ref}: reading https://goproxy.corp.example.com/corp.example.com/tool/@v/v1.0.0.info: 401 Unauthorized`;

  test('a refused credential: the proxy status, exit 6, the credential redacted', () => {
    const err = told(
      toolBuildFailure(failed(`download failed: ${ref}: ${status401} (sent Bearer ${token})`), withCredential),
    );
    expect(err.code).toBe(ExitCode.Unavailable);
    expect(err.message).toContain(
      `the module proxy ${proxy.url} (${proxy.source}) refused the credential from --secret netrc ` +
        `for ${ref}: 401 Unauthorized`,
    );
    expect(err.message).not.toContain(token);
  });

  test('no credential: exit 2, naming the flag', () => {
    const err = told(toolBuildFailure(failed(`download failed: ${ref}: ${status401}`), without));
    expect(err).toEqual({ code: ExitCode.Usage, message: expect.stringContaining('it needs a credential') as string });
    expect((toolBuildFailure(failed(`download failed: ${ref}: ${status401}`), without) as BakeError).hint).toMatch(
      /--secret netrc=FILE/,
    );
  });

  test('a pinned hash the module does not match: exit 4', () => {
    const line = `checksum mismatch: ${ref}: the recipe pins h1:a, the proxy served h1:b`;
    expect(told(toolBuildFailure(failed(line), withCredential))).toEqual({
      code: ExitCode.Untrusted,
      message: `module checksum mismatch: ${ref}: the recipe pins h1:a, the proxy served h1:b`,
    });
  });

  test("an untrusted certificate points at ca.extra; an unreachable proxy at the engine's view", () => {
    const tls = told(
      toolBuildFailure(
        failed(`download failed: ${ref}: tls: failed to verify certificate: x509: unknown authority`),
        without,
      ),
    );
    expect(tls.code).toBe(ExitCode.Unavailable);
    expect(tls.message).toMatch(/^the builder does not trust the certificate of the module proxy/);
    const down = told(
      toolBuildFailure(failed(`download failed: ${ref}: dial tcp 10.0.0.1:443: connection refused`), without),
    );
    expect(down).toMatchObject({
      code: ExitCode.Unavailable,
      message: expect.stringMatching(/cannot be reached from the build/) as string,
    });
  });

  test('a failure outside the tool steps is returned as it was', () => {
    const other = new BuildFailedError('corp-amd64/builder', '#3 probe', ['compile error'], 'exit 1');
    expect(toolBuildFailure(other, withCredential)).toBe(other);
    const plain = new Error('engine gone');
    expect(toolBuildFailure(plain, withCredential)).toBe(plain);
  });
});

import { createServer } from 'node:net';
import { ExitCode } from '../../../../bake/common/errors';
import { probeModuleProxy } from '../../../../bake/golang/modules/module-proxy';

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('asking the module proxy before a build', () => {
  test('unreachable: one line naming where the URL came from, exit 6, the flag in the hint', async () => {
    const proxy = `https://127.0.0.1:${await closedPort()}`;
    const err = await probeModuleProxy({
      proxy,
      source: '--go-proxy',
      modules: ['corp.example.com/tool'],
      extraCa: [],
      credentialGiven: false,
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: expect.stringMatching(
        new RegExp(`^the module proxy ${proxy.replace(/\./g, '\\.')} \\(--go-proxy\\) cannot be reached: ECONNREFUSED`),
      ) as string,
      hint: expect.stringContaining('--go-proxy URL') as string,
    });
  });
});

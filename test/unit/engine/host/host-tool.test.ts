import { ExitCode } from '../../../../bake/common/errors';
import { silentLogger } from '../../../../bake/common/log';
import { ensureTool } from '../../../../bake/engine/host/host-tool';

describe('installing missing host tools', () => {
  const request = {
    command: 'bake-no-such-tool',
    debianPackage: 'bake-pkg',
    purpose: 'the test',
    allowInstall: true,
    logger: silentLogger,
  };

  test('not root: stop with the exact command to run', async () => {
    await expect(
      ensureTool({ ...request, facts: { isRoot: false, debianFamily: true }, exitCode: ExitCode.EngineUnavailable }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.EngineUnavailable,
      message: 'the test needs bake-no-such-tool, which is not installed; run: sudo apt-get install -y bake-pkg',
    });
  });

  test('installing not allowed: the same command, nothing installed', async () => {
    await expect(
      ensureTool({ ...request, allowInstall: false, facts: { isRoot: true, debianFamily: true } }),
    ).rejects.toThrow('run: sudo apt-get install -y bake-pkg');
  });

  test('not a Debian-family system: name the Debian package as a pointer', async () => {
    await expect(ensureTool({ ...request, facts: { isRoot: true, debianFamily: false } })).rejects.toThrow(
      'install the package that provides it (Debian: bake-pkg)',
    );
  });

  test('a tool that is present is returned without installing anything', async () => {
    await expect(
      ensureTool({ ...request, command: 'sh', facts: { isRoot: false, debianFamily: false } }),
    ).resolves.toMatch(/\/sh$/);
  });
});

import { ExitCode } from '../../../bake/common/errors';
import { silentLogger } from '../../../bake/common/log';
import { needsUpdate } from '../../../bake/engine/host/apt-install';
import { isUnreachable } from '../../../bake/engine/base/base-pull';
import { formatDoctorReport } from '../../../bake/engine/daemon/doctor-table';
import { ensureTool } from '../../../bake/engine/host/host-tool';

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

describe('apt retry after update', () => {
  test('missing package lists call for apt-get update', () => {
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: Unable to locate package docker.io' })).toBe(true);
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: Package docker.io has no installation candidate' })).toBe(
      true,
    );
    expect(needsUpdate({ code: 100, stdout: '', stderr: 'E: dpkg was interrupted' })).toBe(false);
  });
});

describe('pull failures', () => {
  test('network failures mean no registry reachable; registry answers do not', () => {
    expect(
      isUnreachable(
        '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host',
      ),
    ).toBe(true);
    expect(isUnreachable('Get "https://r.example/v2/": net/http: TLS handshake timeout')).toBe(true);
    expect(isUnreachable('the registry did not answer within 8 s')).toBe(true);
    expect(isUnreachable('manifest for r.example/x@sha256:00 not found: manifest unknown')).toBe(false);
    expect(isUnreachable('unauthorized: authentication required')).toBe(false);
  });
});

describe('doctor table', () => {
  test('aligned rows, the fix under each item that needs one, and a verdict', () => {
    const text = formatDoctorReport({
      ok: false,
      items: [
        {
          id: 'engine',
          status: 'missing',
          detail: 'no Docker engine answers',
          fix: 'sudo apt-get install -y docker.io',
        },
        { id: 'binfmt.arm64', status: 'ok', detail: 'qemu-aarch64 registered' },
      ],
    });
    expect(text).toBe(
      [
        'engine        missing  no Docker engine answers',
        '                       fix: sudo apt-get install -y docker.io',
        'binfmt.arm64  ok       qemu-aarch64 registered',
        'not ready: fix the items marked missing',
        '',
      ].join('\n'),
    );
  });
});

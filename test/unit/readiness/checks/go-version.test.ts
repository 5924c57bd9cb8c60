import { goVersionCheck } from '../../../../bake/readiness/checks/go-version';
import { silentLogger } from '../../../../bake/common/log';
import { expectations, FakeDriver } from '../fake-driver';

const expect0 = expectations();

describe('go.version', () => {
  test('passes on the planned version and platform', async () => {
    const d = new FakeDriver().on('go version', { stdout: 'go version go1.22.12 linux/amd64\n' });
    const r = await goVersionCheck.run(d, expect0, silentLogger);
    expect(r).toMatchObject({ status: 'pass', reason: 'go1.22.12 linux/amd64' });
    expect(r.evidence[0]).toMatchObject({ command: 'go version', expected: 'go version go1.22.12 linux/amd64' });
  });

  test('fails on another version or platform, and when go is missing', async () => {
    const old = await goVersionCheck.run(
      new FakeDriver().on('go version', { stdout: 'go version go1.22.1 linux/arm64\n' }),
      expect0,
      silentLogger,
    );
    expect(old).toMatchObject({ status: 'fail', reason: 'Go version is go1.22.1, planned go1.22.12 (and 1 more)' });
    const missing = await goVersionCheck.run(new FakeDriver(), expect0, silentLogger);
    expect(missing).toMatchObject({ status: 'fail', reason: 'go version failed (exit 127: go: not found)' });
  });
});

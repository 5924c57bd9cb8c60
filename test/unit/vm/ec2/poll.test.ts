import { ExitCode } from '../../../../bake/common/errors';
import { pollUntil } from '../../../../bake/vm/ec2/poll';

describe('pollUntil', () => {
  test('asks until the probe gives a value', async () => {
    let calls = 0;
    const value = await pollUntil('the thing', async () => (++calls === 3 ? 'ready' : undefined), {
      timeoutMs: 5000,
      intervalMs: 1,
    });
    expect([value, calls]).toEqual(['ready', 3]);
  });

  test('gives up at the deadline as unavailable, naming what it waited for', async () => {
    await expect(
      pollUntil('image ami-1 to be available', async () => undefined, { timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: 'image ami-1 to be available: not within 0 s',
    });
  });

  test('an abort ends the wait as an interrupt', async () => {
    const controller = new AbortController();
    const waiting = pollUntil('the verdict', async () => undefined, {
      timeoutMs: 60_000,
      intervalMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(waiting).rejects.toMatchObject({
      exitCode: ExitCode.Interrupted,
      message: 'interrupted while waiting for the verdict',
    });
  });

  test("a probe's error ends the wait with that error", async () => {
    await expect(
      pollUntil('x', () => Promise.reject(new Error('image ami-1 failed')), { timeoutMs: 1000, intervalMs: 1 }),
    ).rejects.toThrow('image ami-1 failed');
  });
});

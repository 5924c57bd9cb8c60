import { retry } from '../../../bake/common/retry';
import { sleep } from '../../../bake/common/sleep';

const failing = (failures: number, err: unknown = new Error('flaky')) => {
  let calls = 0;
  const fn = jest.fn(async () => {
    calls++;
    if (calls <= failures) throw err;
    return `ok after ${calls}`;
  });
  return fn;
};

describe('retry', () => {
  test('retries until it succeeds, waiting twice as long each time up to the cap', async () => {
    const waits: { attempt: number; delayMs: number }[] = [];
    const fn = failing(3);
    expect(
      await retry(fn, { attempts: 5, firstDelayMs: 1, maxDelayMs: 3, onRetry: (_, next) => waits.push(next) }),
    ).toBe('ok after 4');
    expect(waits).toEqual([
      { attempt: 2, delayMs: 1 },
      { attempt: 3, delayMs: 2 },
      { attempt: 4, delayMs: 3 },
    ]);
  });

  test('the last failure is thrown once the attempts are used up, with no wait after it', async () => {
    const onRetry = jest.fn();
    const fn = failing(10, new Error('still down'));
    await expect(retry(fn, { attempts: 3, firstDelayMs: 1, onRetry })).rejects.toThrow('still down');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  test('a failure that is not retriable is thrown at once', async () => {
    const fn = failing(1, new Error('refused'));
    await expect(
      retry(fn, { attempts: 5, firstDelayMs: 1, retriable: (err) => (err as Error).message !== 'refused' }),
    ).rejects.toThrow('refused');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('once aborted, no further attempt', async () => {
    const controller = new AbortController();
    const fn = jest.fn(async () => {
      controller.abort();
      throw new Error('broke while interrupted');
    });
    await expect(retry(fn, { attempts: 5, firstDelayMs: 1, signal: controller.signal })).rejects.toThrow(
      'broke while interrupted',
    );
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('sleep', () => {
  test('waits, and an abort ends the wait at once without throwing', async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const before = Date.now();
    await expect(sleep(10_000, controller.signal)).resolves.toBeUndefined();
    expect(Date.now() - before).toBeLessThan(5000);
    await expect(sleep(10_000, controller.signal)).resolves.toBeUndefined();
  });
});

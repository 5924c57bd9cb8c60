import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../bake/common/errors';
import { withFileLock } from '../../../bake/common/file-lock';
import { sleep } from '../../../bake/common/sleep';

const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('withFileLock', () => {
  test('two holders of one lock run one after the other', async () => {
    const lock = join(mkdtempSync(join(scratch, 'bake-lock-')), 'sub', 'x.lock');
    const order: string[] = [];
    const run = (name: string) =>
      withFileLock(
        lock,
        async () => {
          order.push(`${name} in`);
          await sleep(30);
          order.push(`${name} out`);
        },
        { timeoutMs: 5000, pollMs: 5 },
      );
    await Promise.all([run('a'), run('b')]);
    expect([
      ['a in', 'a out', 'b in', 'b out'],
      ['b in', 'b out', 'a in', 'a out'],
    ]).toContainEqual(order);
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock left by a dead process is taken over', async () => {
    const lock = join(mkdtempSync(join(scratch, 'bake-lock-')), 'x.lock');
    writeFileSync(lock, '999999999\n');
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).resolves.toBe('ran');
  });

  test('a lock held by a live process times out with ExitCode.Locked', async () => {
    const lock = join(mkdtempSync(join(scratch, 'bake-lock-')), 'x.lock');
    writeFileSync(lock, `${process.ppid}\n`);
    const waited: number[] = [];
    await expect(
      withFileLock(lock, async () => 'ran', { timeoutMs: 50, pollMs: 10, onWait: (pid) => waited.push(pid) }),
    ).rejects.toMatchObject({ exitCode: ExitCode.Locked });
    expect(waited).toEqual([process.ppid]);
  });
});

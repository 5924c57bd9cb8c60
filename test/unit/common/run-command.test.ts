import { lastLines, runCommand } from '../../../bake/common/run-command';
import { aptEnv } from '../../../bake/golang/debian/apt-command';

const node = process.execPath;

describe('runCommand', () => {
  test('a non-zero exit is a result with both streams, not an exception', async () => {
    const result = await runCommand(node, [
      '-e',
      'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)',
    ]);
    expect(result).toEqual({ code: 3, stdout: 'out', stderr: 'err' });
  });

  test('keepTail keeps the end of a long stream; without it everything is kept', async () => {
    const script = 'for (let i = 0; i < 2000; i++) process.stdout.write(`line ${i}\\n`)';
    const all = await runCommand(node, ['-e', script]);
    expect(all.stdout.split('\n')).toHaveLength(2001);
    const tail = await runCommand(node, ['-e', script], { keepTail: 20 });
    expect(tail.stdout).toHaveLength(20);
    expect(tail.stdout.endsWith('line 1999\n')).toBe(true);
  });

  test('a character split across chunks arrives whole', async () => {
    const script =
      'const b = Buffer.from("é"); process.stdout.write(b.subarray(0, 1)); ' +
      'setTimeout(() => process.stdout.write(b.subarray(1)), 50)';
    expect((await runCommand(node, ['-e', script])).stdout).toBe('é');
  });

  test('English messages unless the caller says otherwise; cwd and env are passed on', async () => {
    const script = 'process.stdout.write(`${process.env.LC_ALL} ${process.env.DEBIAN_FRONTEND} ${process.cwd()}`)';
    expect((await runCommand(node, ['-e', script], { cwd: '/', env: { PATH: process.env.PATH } })).stdout).toBe(
      'C.UTF-8 undefined /',
    );
    expect((await runCommand(node, ['-e', script], { cwd: '/', env: aptEnv() })).stdout).toBe(
      'C.UTF-8 noninteractive /',
    );
  });

  test('a program that does not exist rejects', async () => {
    await expect(runCommand('bake-no-such-program', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

test('lastLines: the last non-empty lines, trailing blanks trimmed', () => {
  expect(lastLines('a\n\nb  \r\nc\n\n', 2)).toEqual(['b', 'c']);
});

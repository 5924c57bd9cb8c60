import { runCli } from './run-cli';

describe('bake build: usage errors before anything runs', () => {
  it('needs target names or --all', () => {
    const r = runCli(['build']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bake: name the targets to build, or pass --all\nhint: bake list shows the targets\n');
  });

  it('refuses a bad --concurrency', () => {
    const r = runCli(['build', 'debian12-amd64', '--concurrency', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency: expected a whole number of 1 or more, got "0"');
  });

  it.each([
    ['--cache-to', 'reg.example:5000/cache:v1', 'names a tag or digest'],
    ['--cache-from', 'reg.example/cache@sha256:' + '0'.repeat(64), 'names a tag or digest'],
    ['--cache-to', '-reg/cache', 'is not a registry repository'],
    ['--cache-from', 'cache', 'is not a registry repository'],
  ])('refuses %s %s before any work', (flag, value, problem) => {
    const r = runCli(['build', 'debian12-amd64', flag, value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bake: ${flag}: ${JSON.stringify(value)} ${problem}`);
  });
});

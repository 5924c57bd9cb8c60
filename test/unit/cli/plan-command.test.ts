import { runCli } from './run-cli';

describe('bake plan', () => {
  it('names the unknown target and exits 2', () => {
    const r = runCli(['plan', 'gentoo1-amd64']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "gentoo1-amd64"');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

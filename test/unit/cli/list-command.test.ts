import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir';
import { runCli } from './run-cli';

describe('bake list', () => {
  it('lists the 12 targets as JSON without network', () => {
    const r = runCli(['list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { target: string; policy: { status: string } }[];
    expect(rows).toHaveLength(12);
    expect(rows.every((row) => row.policy.status === 'supported' || row.policy.status === 'expiring')).toBe(true);
  });

  it('rejects a bad recipe with exit code 3, file and field, and no stack trace', () => {
    const dir = scratchDir('bake-cli-recipes-');
    copyFileSync('recipes/defaults.yaml', join(dir, 'defaults.yaml'));
    copyFileSync('recipes/policy.yaml', join(dir, 'policy.yaml'));
    copyFileSync('test/fixtures/bad-recipes/gosumdb-off.yaml', join(dir, 'gosumdb-off.yaml'));
    const r = runCli(['list', '--recipes', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gosumdb-off.yaml: env.GOSUMDB: GOSUMDB "off" disables checksum verification');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  environmentFileValue,
  parseEnvironmentFile,
  renderEnvironmentFile,
} from '../../../../bake/vm/provision/environment-file';

const VALUES = {
  PLAIN: 'https://proxy.golang.org,direct',
  EMPTY: '',
  SPACES: '-mod=readonly -trimpath',
  HOSTILE: `it's "quoted" $(id) \`id\` $HOME back\\slash`,
};

describe('the environment file (/etc/default/go-env)', () => {
  it('writes values bare when nothing in them is special, else double-quoted with \\ " $ ` escaped', () => {
    expect(environmentFileValue(VALUES.PLAIN)).toBe(VALUES.PLAIN);
    expect(environmentFileValue('')).toBe('');
    expect(environmentFileValue(VALUES.SPACES)).toBe('"-mod=readonly -trimpath"');
    expect(environmentFileValue(VALUES.HOSTILE)).toBe('"it\'s \\"quoted\\" \\$(id) \\`id\\` \\$HOME back\\\\slash"');
  });

  it('reads back exactly what it wrote, in bake and in sh', () => {
    const text = renderEnvironmentFile('# header\n{{values}}\n', VALUES);
    expect(parseEnvironmentFile(text)).toEqual({ values: VALUES, problems: [] });
    const dir = mkdtempSync(join(tmpdir(), 'bake-envfile-'));
    try {
      writeFileSync(join(dir, 'env'), text);
      const seen = execFileSync(
        'sh',
        ['-c', '. "$1"; printf "%s\\0" "$PLAIN" "$EMPTY" "$SPACES" "$HOSTILE"', 'sh', join(dir, 'env')],
        { env: {}, encoding: 'utf8' },
      );
      expect(seen.split('\0').slice(0, 4)).toEqual(Object.values(VALUES));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports lines it would not read the way systemd and sh both do', () => {
    expect(parseEnvironmentFile("A=1\nB='single'\nC=un quoted\n# comment\n\n").problems).toEqual([
      "line 2: B='single'",
      'line 3: C=un quoted',
    ]);
  });

  it('refuses names that are not variable names, and values with line breaks', () => {
    expect(() => renderEnvironmentFile('{{values}}', { 'BAD-NAME': 'x' })).toThrow(/not valid/);
    expect(() => renderEnvironmentFile('{{values}}', { A: 'x\ny' })).toThrow(/line break/);
  });
});

import { spawnSync } from 'node:child_process';
import { shellSettings } from '../../../../bake/vm/provision/shell-settings';

/** What bash makes of the settings: each name with its value(s), one per line. */
function throughBash(settings: string, names: string[]): string {
  const print = names.map((n) => `for v in "\${${n}[@]}"; do printf '%s=<%s>\\n' ${n} "$v"; done`).join('\n');
  return spawnSync('bash', ['-c', `${settings}\n${print}`], { encoding: 'utf8' }).stdout;
}

describe('shellSettings', () => {
  test('NAME=value and NAME=(a b) lines that bash reads back as exactly the values', () => {
    const text = shellSettings({
      GO_URL: 'https://dl.example/go1.27.4.tgz?X-Amz-Signature=$(id)',
      BUILD_USER: 'gobuild',
      PACKAGES: ['git', "it's", 'a b', 'x,y'],
    });
    expect(text.split('\n')).toEqual([
      "GO_URL='https://dl.example/go1.27.4.tgz?X-Amz-Signature=$(id)'",
      'BUILD_USER=gobuild',
      "PACKAGES=(git 'it'\\''s' 'a b' 'x,y')",
    ]);
    expect(throughBash(text, ['GO_URL', 'BUILD_USER', 'PACKAGES'])).toBe(
      [
        'GO_URL=<https://dl.example/go1.27.4.tgz?X-Amz-Signature=$(id)>',
        'BUILD_USER=<gobuild>',
        'PACKAGES=<git>',
        "PACKAGES=<it's>",
        'PACKAGES=<a b>',
        'PACKAGES=<x,y>',
        '',
      ].join('\n'),
    );
  });

  test('an empty array', () => {
    expect(shellSettings({ EXTRA: [] })).toBe('EXTRA=()');
  });

  test('refuses a name that is not an upper-case shell name, and a value with a line break', () => {
    expect(() => shellSettings({ 'go url': 'x' })).toThrow('shell setting name "go url" is not valid');
    expect(() => shellSettings({ lower: 'x' })).toThrow('is not valid');
    expect(() => shellSettings({ URL: 'x\nrm -rf /' })).toThrow(/line break/);
    expect(() => shellSettings({ LIST: ['ok', 'x\ny'] })).toThrow(/line break/);
  });
});

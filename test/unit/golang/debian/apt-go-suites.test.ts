import { parseDeb822 } from '../../../../bake/golang/debian/apt-deb822';
import { GO_SUITES, renderGoSourcesFile, renderSuitesFile } from '../../../../bake/golang/debian/apt-go-suites';

test('the private sources file lists the Go suites of that archive, checked by the Debian archive keyring', () => {
  expect(renderGoSourcesFile('http://mirror.example.org/debian')).toBe(
    [
      '# Written by bake: Debian suites carrying Go toolchains (private to bake, not the system apt).',
      'Types: deb',
      'URIs: http://mirror.example.org/debian',
      'Suites: bookworm-backports trixie-backports forky',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
    ].join('\n'),
  );
});

test('a sources file of other suites reads back as one deb822 stanza with those suites', () => {
  const text = renderSuitesFile('https://deb.example/debian', ['trixie', 'trixie-updates'], 'the OS packages');
  expect(text.split('\n')[0]).toBe('# Written by bake: the OS packages (private to bake, not the system apt).');
  expect(parseDeb822(text)).toEqual([
    {
      Types: 'deb',
      URIs: 'https://deb.example/debian',
      Suites: 'trixie trixie-updates',
      Components: 'main',
      'Signed-By': '/usr/share/keyrings/debian-archive-keyring.gpg',
    },
  ]);
  expect(GO_SUITES).toContain('trixie-backports');
});

import { BakeError, ExitCode } from '../../../bake/common/errors';
import {
  formatLocation,
  parseRegistryLocation,
  registryScheme,
  repositoryPath,
} from '../../../bake/registry/remote-ref';

describe('parseRegistryLocation', () => {
  test.each([
    ['127.0.0.1:5000/golden', { host: '127.0.0.1:5000', prefix: 'golden' }],
    ['registry.example.com/team/images', { host: 'registry.example.com', prefix: 'team/images' }],
    ['localhost:5000', { host: 'localhost:5000', prefix: '' }],
    ['localhost/golden', { host: 'localhost', prefix: 'golden' }],
    ['[::1]:5000/golden', { host: '[::1]:5000', prefix: 'golden' }],
    ['https://registry.example.com/golden/', { host: 'registry.example.com', prefix: 'golden' }],
    ['oci://registry.example.com/a.b/c_d/e-f', { host: 'registry.example.com', prefix: 'a.b/c_d/e-f' }],
  ])('%s', (value, expected) => {
    expect(parseRegistryLocation(value)).toEqual(expected);
  });

  test.each([
    ['golden/debian12', 'HOST[:PORT]/PREFIX'],
    ['', 'HOST[:PORT]/PREFIX'],
    ['registry_example.com/golden', 'HOST[:PORT]/PREFIX'],
    ['registry.example.com/Golden', '"Golden" is not a valid repository path component'],
    ['registry.example.com/a//b', '"" is not a valid repository path component'],
    ['registry.example.com/-x', '"-x" is not a valid repository path component'],
  ])('refuses %j as a usage error', (value, message) => {
    let err: unknown;
    try {
      parseRegistryLocation(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BakeError);
    expect(err).toMatchObject({ exitCode: ExitCode.Usage, message: expect.stringContaining(message) });
  });

  test('formatLocation gives back host/prefix, or the host alone', () => {
    expect(formatLocation(parseRegistryLocation('https://registry.example.com/team/images/'))).toBe(
      'registry.example.com/team/images',
    );
    expect(formatLocation({ host: '127.0.0.1:5000', prefix: '' })).toBe('127.0.0.1:5000');
  });
});

describe('repositoryPath', () => {
  test('puts the name under the prefix, or uses it alone without one', () => {
    expect(repositoryPath({ host: 'r.example.com', prefix: 'team/images' }, 'debian12-go')).toBe(
      'team/images/debian12-go',
    );
    expect(repositoryPath({ host: 'r.example.com', prefix: '' }, 'debian12-go')).toBe('debian12-go');
  });
});

describe('registryScheme', () => {
  test.each(['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000'])(
    'loopback %s is spoken to over http',
    (host) => {
      expect(registryScheme(host)).toBe('http');
    },
  );

  test.each(['registry.example.com', 'localhost.example.com:5000', '10.0.0.5:5000', '127.example.com', '[::2]:5000'])(
    '%s is spoken to over https',
    (host) => {
      expect(registryScheme(host)).toBe('https');
    },
  );
});

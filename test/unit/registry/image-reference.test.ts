import { parseImageReference } from '../../../bake/registry/image-reference';

describe('parseImageReference', () => {
  it.each([
    [
      'docker.io/library/debian:bookworm',
      { host: 'registry-1.docker.io', repository: 'library/debian', tag: 'bookworm' },
    ],
    ['debian:bookworm', { host: 'registry-1.docker.io', repository: 'library/debian', tag: 'bookworm' }],
    [
      'docker.io/rockylinux/rockylinux:9',
      { host: 'registry-1.docker.io', repository: 'rockylinux/rockylinux', tag: '9' },
    ],
    ['127.0.0.1:5000/golden/debian:bookworm', { host: '127.0.0.1:5000', repository: 'golden/debian', tag: 'bookworm' }],
    ['localhost/x:1', { host: 'localhost', repository: 'x', tag: '1' }],
    ['registry.example.com/team/base:24.04', { host: 'registry.example.com', repository: 'team/base', tag: '24.04' }],
  ])('%s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  it('refuses a reference without a tag (a port is not a tag)', () => {
    expect(() => parseImageReference('127.0.0.1:5000/golden/debian')).toThrow('not a tagged image reference');
  });
});

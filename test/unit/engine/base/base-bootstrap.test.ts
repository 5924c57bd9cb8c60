import { extraKeyrings } from '../../../../bake/engine/base/base-bootstrap';

describe('extraKeyrings', () => {
  test('BAKE_DEBIAN_KEYRING: colon-separated keyrings, blanks dropped', () => {
    expect(extraKeyrings({})).toEqual([]);
    expect(extraKeyrings({ BAKE_DEBIAN_KEYRING: '' })).toEqual([]);
    expect(extraKeyrings({ BAKE_DEBIAN_KEYRING: '/k/site.gpg: /k/test.asc ::' })).toEqual([
      '/k/site.gpg',
      '/k/test.asc',
    ]);
  });
});

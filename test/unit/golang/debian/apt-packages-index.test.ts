import { parsePackagesIndex } from '../../../../bake/golang/debian/apt-packages-index';
import { sha, SHOW } from './packages-fixture';

describe('parsePackagesIndex', () => {
  const packages = parsePackagesIndex(SHOW);

  test('reads each stanza, joining nothing across paragraphs, and drops entries without a usable SHA256', () => {
    expect(packages).toHaveLength(10);
    expect(packages[0]).toEqual({
      package: 'golang-1.22-go',
      version: '1.22.12-3~bpo12+1',
      architecture: 'arm64',
      source: 'golang-1.22',
      sourceVersion: '1.22.12-3~bpo12+1',
      filename: 'pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_arm64.deb',
      size: 21340556,
      sha256: sha('a'),
    });
    expect(packages.find((p) => p.package === 'golang-1.21-go')).toBeUndefined();
  });

  test("the Source field gives the source name and version, defaulting to the package's own", () => {
    const rebuilt = packages.find((p) => p.version === '1.23.5-1~bpo12+1+b1');
    expect([rebuilt?.source, rebuilt?.sourceVersion]).toEqual(['golang-1.23', '1.23.5-1~bpo12+1']);
    const plain = packages.find((p) => p.package === 'golang-1.24-go');
    expect([plain?.source, plain?.sourceVersion]).toEqual(['golang-1.24-go', '1.24.4-1']);
  });
});

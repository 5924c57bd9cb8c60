import { catalogAmi } from '../../../bake/vm/catalog-ami';
import type { AmiRecord } from '../../../bake/vm/types';

describe('catalogAmi', () => {
  test("the driver's record without run details (source AMI, user data hash, where the verdict came from)", () => {
    const record: AmiRecord = {
      schema: 'bake.ami/v1',
      target: 'debian12-amd64',
      region: 'us-east-1',
      amiId: 'ami-1',
      name: 'bake-debian12-amd64-go1.27.4-20261206T000000Z',
      snapshotIds: ['snap-1'],
      sourceAmi: 'ami-src',
      goVersion: '1.27.4',
      goSha256: 'a'.repeat(64),
      inputsDigest: `sha256:${'b'.repeat(64)}`,
      userDataSha256: 'c'.repeat(64),
      report: { passed: true, summary: '11/11 passed', source: 'tag' },
      createdAt: '2026-12-06T00:00:00.000Z',
      copies: [{ region: 'eu-west-1', amiId: 'ami-2', snapshotIds: ['snap-2'] }],
    };
    expect(catalogAmi(record)).toEqual({
      target: 'debian12-amd64',
      region: 'us-east-1',
      amiId: 'ami-1',
      name: record.name,
      snapshotIds: ['snap-1'],
      goVersion: '1.27.4',
      goSha256: record.goSha256,
      inputsDigest: record.inputsDigest,
      report: { passed: true, summary: '11/11 passed' },
      createdAt: record.createdAt,
      copies: [{ region: 'eu-west-1', amiId: 'ami-2' }],
    });
  });
});

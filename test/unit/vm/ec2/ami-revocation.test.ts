import { markAmiRevoked } from '../../../../bake/vm/ec2/ami-revocation';
import { recordingLogger } from '../../golang/go-fixtures';
import { FakeEc2 } from './fake-ec2';

const revocation = { at: '2026-02-01T00:00:00.000Z', by: 'alice', reason: 'bad proxy' };

function regions() {
  const east = new FakeEc2('us-east-1');
  const west = new FakeEc2('eu-west-1');
  east.addImage({ imageId: 'ami-1' });
  west.addImage({ imageId: 'ami-2' });
  return { east, west, api: (r: string) => (r === 'eu-west-1' ? west : east) };
}
const ami = { amiId: 'ami-1', region: 'us-east-1', copies: [{ region: 'eu-west-1', amiId: 'ami-2' }] };

test('a revoked AMI and its copies are tagged with the reason and deprecated from the revocation on', async () => {
  const { east, west, api } = regions();
  const outcome = await markAmiRevoked(api, ami, revocation, recordingLogger());
  for (const [ec2, id] of [
    [east, 'ami-1'],
    [west, 'ami-2'],
  ] as const) {
    expect(ec2.images.get(id)).toMatchObject({
      tags: { 'bake:revoked': 'bad proxy', 'bake:revoked-at': revocation.at },
      deprecationTime: revocation.at,
    });
  }
  expect(outcome).toBe(
    `ami-1 (us-east-1) deprecated from ${revocation.at}; ami-2 (eu-west-1) deprecated from ${revocation.at}`,
  );
});

test('unrevoking takes the tags and the deprecation back', async () => {
  const { east, api } = regions();
  await markAmiRevoked(api, ami, revocation, recordingLogger());
  await markAmiRevoked(api, ami, undefined, recordingLogger());
  expect(east.images.get('ami-1')!.tags).toEqual({});
  expect(east.images.get('ami-1')!.deprecationTime).toBeUndefined();
});

test('an endpoint without the deprecation call still gets the tags, and the outcome says why not', async () => {
  const { east, api } = regions();
  east.deprecateImage = async () => {
    throw new Error('EC2 EnableImageDeprecation: InternalError: not implemented');
  };
  const logger = recordingLogger();
  const outcome = await markAmiRevoked(api, { ...ami, copies: [] }, revocation, logger);
  expect(east.images.get('ami-1')!.tags['bake:revoked']).toBe('bad proxy');
  expect(outcome).toBe('ami-1 (us-east-1): not deprecated: EC2 EnableImageDeprecation: InternalError: not implemented');
  expect(logger.lines[0]).toMatch(/^warn: .*its bake:revoked tag says it is revoked$/);
});

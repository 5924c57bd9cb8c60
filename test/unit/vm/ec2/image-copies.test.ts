import { silentLogger } from '../../../../bake/common/log';
import { copyImage } from '../../../../bake/vm/ec2/image-copies';
import { FakeEc2 } from './fake-ec2';

const timeouts = { provisionMs: 1000, consoleMs: 100, stateMs: 1000, pollMs: 1 };

describe('copyImage', () => {
  test('each region gets a copy, available and tagged like the original, snapshots too', async () => {
    const home = new FakeEc2('us-east-1');
    const source = {
      ...home.addImage({ imageId: 'ami-1', name: 'bake-x', tags: { 'bake:vetted': 'true' } }),
      region: 'us-east-1',
    };
    const regions = new Map([
      ['eu-west-1', new FakeEc2('eu-west-1')],
      ['ap-south-1', new FakeEc2('ap-south-1')],
    ]);
    const copies = await copyImage(source, [...regions.keys()], (r) => regions.get(r)!, timeouts, silentLogger);
    expect(copies).toEqual([
      { region: 'eu-west-1', amiId: 'ami-copy-ami-1', snapshotIds: ['snap-copy-ami-1'] },
      { region: 'ap-south-1', amiId: 'ami-copy-ami-1', snapshotIds: ['snap-copy-ami-1'] },
    ]);
    for (const ec2 of regions.values()) {
      expect(ec2.images.get('ami-copy-ami-1')).toMatchObject({ name: 'bake-x', tags: { 'bake:vetted': 'true' } });
      expect(ec2.calls).toEqual(['copyImage', 'describeImages', 'createTags']);
    }
  });

  test('no regions, no copies', async () => {
    const source = { ...new FakeEc2().addImage({ imageId: 'ami-1' }), region: 'us-east-1' };
    expect(await copyImage(source, [], () => new FakeEc2(), timeouts, silentLogger)).toEqual([]);
  });
});

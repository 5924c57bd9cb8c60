import { silentLogger } from '../../../../bake/common/log';
import { applyRetention, imagesToDelete } from '../../../../bake/vm/ec2/ami-retention';
import { TAG } from '../../../../bake/vm/ec2/bake-tags';
import type { Ec2Image } from '../../../../bake/vm/ec2/types';
import { FakeEc2 } from './fake-ec2';

const image = (id: string, at: string, vetted: boolean, target = 'debian12-amd64'): Ec2Image => ({
  imageId: id,
  name: id,
  state: 'available',
  ownerId: 'self',
  snapshotIds: [`snap-${id}`],
  // EC2's CreationDate has seconds only: bake's own tag orders images made within one second.
  creationDate: `${at.slice(0, 19)}Z`,
  tags: { [TAG.managed]: 'true', [TAG.target]: target, [TAG.vetted]: String(vetted), [TAG.createdAt]: at },
});

describe('retention', () => {
  const images = [
    image('ami-a', '2025-01-01T00:00:00.100Z', true),
    image('ami-b', '2025-01-01T00:00:00.200Z', true),
    image('ami-stale', '2025-01-01T00:00:00.250Z', false),
    image('ami-c', '2025-01-01T00:00:00.300Z', true),
    image('ami-in-the-making', '2025-01-01T00:00:00.400Z', false),
  ];

  it('keeps the newest N vetted images, and unvetted ones newer than the newest vetted (a bake in progress)', () => {
    const { keep, drop } = imagesToDelete(images, 2);
    expect(keep.map((i) => i.imageId)).toEqual(['ami-in-the-making', 'ami-c', 'ami-b']);
    expect(drop.map((i) => i.imageId)).toEqual(['ami-stale', 'ami-a']);
  });

  it('never deletes the newest vetted image, whatever N says', () => {
    expect(imagesToDelete(images, 0).keep.map((i) => i.imageId)).toContain('ami-c');
  });

  it('deletes nothing unvetted while there is no vetted image to compare with', () => {
    expect(imagesToDelete([image('ami-x', '2025-01-01T00:00:00Z', false)], 1).drop).toEqual([]);
  });

  it('deregisters the dropped images of the target only, and deletes their snapshots', async () => {
    const ec2 = new FakeEc2();
    for (const i of [...images, image('ami-other', '2024-01-01T00:00:00Z', true, 'rocky9-arm64')]) ec2.addImage(i);
    const result = await applyRetention(ec2, 'debian12-amd64', 1, silentLogger);
    expect(result.deleted).toEqual([
      { amiId: 'ami-stale', snapshotIds: ['snap-ami-stale'] },
      { amiId: 'ami-b', snapshotIds: ['snap-ami-b'] },
      { amiId: 'ami-a', snapshotIds: ['snap-ami-a'] },
    ]);
    expect([...ec2.images.keys()].sort()).toEqual(['ami-c', 'ami-in-the-making', 'ami-other']);
    expect([...ec2.snapshots].sort()).toEqual(['snap-ami-c', 'snap-ami-in-the-making', 'snap-ami-other']);
  });
});

import { ExitCode } from '../../../../bake/common/errors';
import { resolveSourceAmi } from '../../../../bake/vm/ec2/source-ami';
import { handMadeTarget } from '../../render/render-fixtures';
import { FakeEc2 } from './fake-ec2';

const target = handMadeTarget();

function region(): FakeEc2 {
  const ec2 = new FakeEc2();
  ec2.addImage({
    imageId: 'ami-old',
    name: 'testos-1-20240101',
    architecture: 'x86_64',
    ownerId: '123456789012',
    creationDate: '2024-01-01T00:00:00Z',
  });
  ec2.addImage({
    imageId: 'ami-new',
    name: 'testos-1-20250101',
    architecture: 'x86_64',
    ownerId: '123456789012',
    creationDate: '2025-01-01T00:00:00Z',
  });
  ec2.addImage({
    imageId: 'ami-arm',
    name: 'testos-1-20250601',
    architecture: 'arm64',
    ownerId: '123456789012',
    creationDate: '2025-06-01T00:00:00Z',
  });
  ec2.addImage({
    imageId: 'ami-impostor',
    name: 'testos-1-20251231',
    architecture: 'x86_64',
    ownerId: '999999999999',
    creationDate: '2025-12-31T00:00:00Z',
  });
  ec2.addImage({ imageId: 'ami-private', name: 'my-golden-base', architecture: 'x86_64', ownerId: 'self' });
  return ec2;
}

describe('resolveSourceAmi', () => {
  it("takes the newest image matching the recipe's name filter, owners and architecture", async () => {
    expect((await resolveSourceAmi(region(), target)).imageId).toBe('ami-new');
  });

  it('fails in one line, with the way out, when nothing matches', async () => {
    const other = handMadeTarget({ vm: { ...target.vm, sourceAmi: { ...target.vm.sourceAmi, name: 'nothing-*' } } });
    await expect(resolveSourceAmi(region(), other)).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: 'no x86_64 image named "nothing-*" owned by 123456789012 in us-east-1',
      hint: 'pass --source-ami ami-... to start from a private (or test) image',
    });
  });

  it('uses --source-ami when given, after checking it exists and fits the architecture', async () => {
    expect((await resolveSourceAmi(region(), target, 'ami-private')).imageId).toBe('ami-private');
    await expect(resolveSourceAmi(region(), target, 'ami-arm')).rejects.toThrow(
      '--source-ami ami-arm is arm64; testos1-amd64 needs x86_64',
    );
    await expect(resolveSourceAmi(region(), target, 'ami-missing')).rejects.toThrow(
      '--source-ami ami-missing does not exist in us-east-1',
    );
  });
});

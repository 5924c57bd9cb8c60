import { BakeError, ExitCode } from '../../common/errors';
import type { Target } from '../../recipe/types';
import type { Ec2Api } from './ec2-api';
import type { Ec2Image } from './types';

/**
 * The image the builder starts from: the newest available one matching the recipe's name
 * filter, owners and architecture, or the one named by `--source-ami` (a private image, or a
 * test endpoint where the public images do not exist), checked to exist and to fit.
 */
export async function resolveSourceAmi(ec2: Ec2Api, target: Target, override?: string): Promise<Ec2Image> {
  const { sourceAmi } = target.vm;
  if (override) {
    const [image] = await ec2.describeImages({ imageIds: [override] });
    if (!image) throw new BakeError(`--source-ami ${override} does not exist in ${ec2.region}`, ExitCode.Usage);
    if (image.state !== 'available')
      throw new BakeError(`--source-ami ${override} is ${image.state}, not available`, ExitCode.Usage);
    if (image.architecture && image.architecture !== sourceAmi.architecture) {
      throw new BakeError(
        `--source-ami ${override} is ${image.architecture}; ${target.name} needs ${sourceAmi.architecture}`,
        ExitCode.Usage,
      );
    }
    return image;
  }
  const found = await ec2.describeImages({
    owners: sourceAmi.owners,
    filters: { name: [sourceAmi.name], architecture: [sourceAmi.architecture], state: ['available'] },
  });
  const newest = found.sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''))[0];
  if (!newest) {
    throw new BakeError(
      `no ${sourceAmi.architecture} image named "${sourceAmi.name}" ` +
        `owned by ${sourceAmi.owners.join(', ')} in ${ec2.region}`,
      ExitCode.Unavailable,
      'pass --source-ami ami-... to start from a private (or test) image',
    );
  }
  return newest;
}

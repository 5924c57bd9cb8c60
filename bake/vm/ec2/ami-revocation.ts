import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { CatalogAmi, Revocation } from '../../registry/types';
import { TAG } from './bake-tags';
import type { Ec2Api } from './ec2-api';

/**
 * Marks a revoked AMI (and its copies) where EC2 shows it: tags with the reason, and a
 * deprecation from now, so it drops out of image listings for new launches (instances that
 * run it keep running). `revocation` undefined undoes both. Returns how the deprecation went,
 * in one line: an endpoint without the call (moto has none) still gets the tags.
 */
export async function markAmiRevoked(
  regionApi: (region: string) => Ec2Api,
  ami: Pick<CatalogAmi, 'amiId' | 'region' | 'copies'>,
  revocation: Revocation | undefined,
  logger: Logger,
): Promise<string> {
  const outcomes: string[] = [];
  for (const { amiId, region } of [{ amiId: ami.amiId, region: ami.region }, ...ami.copies]) {
    const api = regionApi(region);
    if (revocation)
      await api.createTags([amiId], { [TAG.revoked]: revocation.reason.slice(0, 255), [TAG.revokedAt]: revocation.at });
    else await api.deleteTags([amiId], [TAG.revoked, TAG.revokedAt]);
    try {
      await api.deprecateImage(amiId, revocation ? new Date(revocation.at) : undefined);
      outcomes.push(`${amiId} (${region}) ${revocation ? `deprecated from ${revocation.at}` : 'no longer deprecated'}`);
    } catch (err) {
      const what = revocation ? 'not deprecated' : 'deprecation not cancelled';
      const line = `${amiId} (${region}): ${what}: ${errorMessage(err)}`;
      logger.warn(`${line}; its ${TAG.revoked} tag says it is revoked`);
      outcomes.push(line);
    }
  }
  return outcomes.join('; ');
}

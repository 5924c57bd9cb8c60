import { numericId } from './custom/file-stat';
import type { Driver } from './types';

/**
 * Who runs a check's commands: the build user, whose view is the one a golden image promises
 * (a bundle behind a 0700 directory is no bundle for it), or the image's own user where the
 * image has no such account (an image bake did not build; user.non-root reports the absence,
 * and the other checks still say what they are about instead of "no such user").
 */
export async function checkUser(driver: Driver, buildUser: string): Promise<string | undefined> {
  return (await numericId(driver, buildUser, '/etc/passwd')) === undefined ? undefined : buildUser;
}

import { posix } from 'node:path';
import { shellQuote } from '../common/shell-quote';
import { userHome } from '../plan/go-environment';
import type { Family, Target } from '../recipe/types';
import { FAMILY, RUNTIME_CONTENT_PACKAGES } from './family';

/** Where the rootfs stage assembles the runtime image's whole filesystem. */
export const ROOTFS = '/rootfs';

/** The files of a runtime image bake writes itself, as context paths under files/. */
export const RUNTIME_FILES = {
  passwd: 'runtime/passwd',
  group: 'runtime/group',
  nsswitch: 'runtime/nsswitch.conf',
} as const;

/** No account of a runtime image logs in; the path is the same on both families. */
const NO_LOGIN = '/sbin/nologin';
/** Time zones with leap seconds: Go never reads them, and they double the zoneinfo. */
const PRUNED = ['/usr/share/zoneinfo/right'];

/**
 * /etc/passwd, /etc/group and /etc/nsswitch.conf of a runtime image: root, nobody and the
 * build user, nothing else. Go's os/user reads these files; the user name is validated by
 * userHome (a plain POSIX name), the ids are numbers.
 */
export function runtimeAccountFiles(user: Target['user']): Record<keyof typeof RUNTIME_FILES, string> {
  const home = userHome(user);
  return {
    passwd: [
      `root:x:0:0:root:/root:${NO_LOGIN}`,
      `nobody:x:65534:65534:nobody:/nonexistent:${NO_LOGIN}`,
      `${user.name}:x:${user.uid}:${user.gid}:${user.name}:${home}:${NO_LOGIN}`,
      '',
    ].join('\n'),
    group: ['root:x:0:', 'nogroup:x:65534:', `${user.name}:x:${user.gid}:`, ''].join('\n'),
    nsswitch: ['passwd: files', 'group: files', 'hosts: files dns', ''].join('\n'),
  };
}

/**
 * The rootfs stage's commands, run in ROOTFS (its WORKDIR), so every path they write is
 * relative to it: the distribution's CA bundle, time zones and os-release (with their parent
 * directories' modes), the package records and copyright files of what they came from, the
 * account files, /tmp (1777), /root and the build user's HOME.
 */
export function assembleRootfsCommands(family: Family, user: Target['user'], filesMount: string): string[] {
  const traits = FAMILY[family];
  const here = (path: string) => shellQuote(`.${path}`);
  return [
    // Parents first, 0755: bookworm's `cp -a --parents` (coreutils 9.1) would create them 0700.
    `install -d -m 0755 -- ${[...new Set(traits.runtimePaths.map((p) => posix.dirname(p)))].map(here).join(' ')}`,
    ...traits.runtimePaths.map((path) => `cp -a -- ${shellQuote(path)} ${here(`${posix.dirname(path)}/`)}`),
    `rm -rf -- ${PRUNED.map(here).join(' ')}`,
    ...traits.packageRecordCommands('.', [...RUNTIME_CONTENT_PACKAGES]),
    ...Object.values(RUNTIME_FILES).map(
      (source) =>
        `install -D -m 0644 -- ${shellQuote(`${filesMount}/${source}`)} ${here(`/etc/${posix.basename(source)}`)}`,
    ),
    `install -d -m 1777 -- ${here('/tmp')}`,
    `install -d -m 0700 -- ${here('/root')}`,
    `install -d -m 0755 -- ${here('/home')}`,
    `install -d -m 0700 -o ${user.uid} -g ${user.gid} -- ${here(userHome(user))}`,
  ];
}

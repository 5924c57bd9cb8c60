import { systemdCommandLine, systemdPath } from '../../common/systemd-quote';
import { GOROOT } from '../../plan/go-environment';
import { renderGoEnvFile, renderProfileScript } from '../../render/env-files';
import { readImageFile } from '../../render/image-files';
import { fillTemplate } from '../../render/template';
import { renderEnvironmentFile } from './environment-file';
import { DEFAULT_GO_ENV_PATH, GO_ENV_UNIT_PATH } from './unit-names';
import type { ProvisionFile } from './types';

/**
 * The Go environment files of a VM template: the same renderers and templates as the container
 * images (so hosts and containers carry the very same values), plus /etc/default/go-env for
 * services.
 */
export function environmentFiles(env: Record<string, string>, root?: string): ProvisionFile[] {
  const read = (path: string) => readImageFile(path, root).toString('utf8');
  return [
    {
      path: '/etc/profile.d/go-env.sh',
      mode: '0644',
      content: renderProfileScript(read('files/etc/profile.d/go-env.sh.tmpl'), env),
    },
    { path: DEFAULT_GO_ENV_PATH, mode: '0644', content: renderEnvironmentFile(read('vm/default-go-env.tmpl'), env) },
    { path: `${GOROOT}/go.env`, mode: '0644', content: renderGoEnvFile(read('files/go.env.tmpl'), env) },
  ];
}

/** go-env.service (seeds: a oneshot that stays active and carries /etc/default/go-env). */
export function goEnvUnit(root?: string): ProvisionFile {
  const template = readImageFile('vm/go-env.service.tmpl', root).toString('utf8');
  return {
    path: GO_ENV_UNIT_PATH,
    mode: '0644',
    content: renderGoEnvUnit(template, { environmentFile: DEFAULT_GO_ENV_PATH, goroot: GOROOT }),
  };
}

/**
 * The unit from its template, every value quoted the way systemd reads it: the environment
 * file as a path setting, the Go binary as a command line (% specifiers, $ variables, quotes).
 * The paths are bake's own today; they go through the same quoting as any value would.
 */
export function renderGoEnvUnit(template: string, values: { environmentFile: string; goroot: string }): string {
  // systemdPath refuses line breaks, so the comment that names the file stays one line too.
  const environmentFile = systemdPath('EnvironmentFile', values.environmentFile);
  return fillTemplate(
    template,
    { environmentFile, execStart: systemdCommandLine([`${values.goroot}/bin/go`, 'version']) },
    'vm/go-env.service.tmpl',
  );
}

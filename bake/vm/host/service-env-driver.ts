import type { Driver } from '../../readiness/types';
import { parseEnvironmentFile } from '../provision/environment-file';
import { DEFAULT_GO_ENV_PATH } from '../provision/unit-names';

/**
 * A host's counterpart of an image's ENV: commands that are not login shells run with what a
 * service gets (the session's environment plus /etc/default/go-env, the EnvironmentFile of
 * go-env.service), so the image checks mean the same on a host. The file is read once, here.
 */
export async function serviceEnvDriver(host: Driver): Promise<Driver> {
  const file = await host.readFile(DEFAULT_GO_ENV_PATH);
  const env = file ? parseEnvironmentFile(file.toString('utf8')).values : {};
  return {
    exec: (argv, opts = {}) => host.exec(argv, opts.loginShell ? opts : { ...opts, env: { ...env, ...opts.env } }),
    readFile: (path) => host.readFile(path),
    close: () => host.close(),
  };
}

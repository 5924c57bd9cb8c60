import { promises as fs } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { runCommand } from '../../../bake/common/run-command';
import {
  type BackgroundProcess,
  startBackground,
  stopBackground,
  waitUntilReady,
} from '../services/background-process';
import { freePort } from '../services/free-port';

/**
 * A GOPROXY over https with basic auth, served by Debian's nginx from a directory of module
 * files: its certificate is signed by a test CA made here (openssl), for `address`, so a
 * recipe can trust the proxy through `ca.extra`. Everything lives under `dir`.
 */
export interface ModuleProxyServer {
  /** `https://ADDRESS:PORT`: the GOPROXY URL. */
  url: string;
  /** The test CA's certificate (PEM) and where it is written. */
  caPem: string;
  caFile: string;
  process: BackgroundProcess;
}

export async function startModuleProxy(options: {
  dir: string;
  /** The GOPROXY file tree (`<module>/@v/...`). */
  root: string;
  address: string;
  user: string;
  password: string;
}): Promise<ModuleProxyServer> {
  const { dir, address } = options;
  await fs.mkdir(join(dir, 'tmp'), { recursive: true });
  const openssl = async (args: string[]) => {
    const r = await runCommand('openssl', args);
    if (r.code !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr.trim()}`);
  };
  const f = (name: string) => join(dir, name);
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '7',
    '-subj',
    '/CN=bake test module proxy root CA/O=bake tests',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=goproxy.test',
  ]);
  await fs.writeFile(
    f('server.ext'),
    `subjectAltName=IP:${address},DNS:goproxy.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '7',
    '-extfile',
    f('server.ext'),
  ]);
  // nginx's {PLAIN} scheme: the test's token, in a file of the test's scratch directory only.
  await fs.writeFile(f('htpasswd'), `${options.user}:{PLAIN}${options.password}\n`, { mode: 0o600 });
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${f('tmp')}/${t};`)
    .join('\n');
  await fs.writeFile(
    f('nginx.conf'),
    [
      // Workers read the scratch directory (mode 0700), so they run as the test's user.
      'user root;',
      'worker_processes 1;',
      'daemon off;',
      `pid ${f('nginx.pid')};`,
      `error_log ${f('error.log')} info;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${f('access.log')};`,
      temp,
      '  types { application/json info; application/zip zip; text/plain mod list; }',
      '  default_type application/octet-stream;',
      '  server {',
      `    listen ${address}:${port} ssl;`,
      `    ssl_certificate ${f('server.pem')};`,
      `    ssl_certificate_key ${f('server.key')};`,
      `    root ${options.root};`,
      '    auth_basic "modules";',
      `    auth_basic_user_file ${f('htpasswd')};`,
      '    location / { try_files $uri =404; }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const proc = startBackground('nginx', ['-c', f('nginx.conf'), '-p', dir], { logFile: f('nginx.log') });
  const url = `https://${address}:${port}`;
  const caPem = await fs.readFile(f('ca.pem'), 'utf8');
  await waitUntilReady('nginx module proxy', proc, async () => (await status(`${url}/`, caPem)) === 401);
  return { url, caPem, caFile: f('ca.pem'), process: proc };
}

export async function stopModuleProxy(server: ModuleProxyServer): Promise<void> {
  await stopBackground(server.process);
}

/** The status of a GET, trusting `ca` (and sending `auth`, user:password, when given). */
export function status(url: string, ca: string, auth?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...(auth ? { auth } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

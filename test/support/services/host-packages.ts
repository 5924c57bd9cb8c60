import { spawnSync } from 'node:child_process';
import { aptInstall } from '../../../bake/engine/host/apt-install';
import { hostFacts } from '../../../bake/engine/host/host-tool';

/**
 * Debian packages the integration tests use: arm64 emulation, base bootstraps, an OCI
 * registry, a signed test archive (apt-ftparchive, gpg), a Go module proxy (nginx, openssl), a
 * terminal (tmux), a headless browser for the catalog page (chromium), and moto's dependencies
 * (moto itself comes from trixie, see moto-service). The engine is not among them: bake installs Docker
 * Engine 26 from trixie itself when it starts its engine (bookworm's docker.io is 20.10).
 */
export const TEST_HOST_PACKAGES = [
  'qemu-user-static',
  'mmdebstrap',
  'docker-registry',
  // A signed Debian repository for the archive-freshness tests.
  'apt-utils',
  'gpg',
  // A module proxy over https with basic auth for the private-modules test (openssl makes its certificates).
  'nginx',
  'openssl',
  // A real terminal for the test of bake's live view.
  'tmux',
  // Headless rendering of the static catalog page bake writes (bake registry site).
  'chromium',
  'python3-werkzeug',
  'python3-flask',
  'python3-flask-cors',
  'python3-boto3',
  'python3-responses',
  'python3-xmltodict',
  'python3-jinja2',
  'python3-cryptography',
  'python3-dateutil',
  'python3-requests',
  'python3-yaml',
];

/** Packages of `wanted` that dpkg does not report as installed. */
export function missingPackages(wanted: string[]): string[] {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...wanted], { encoding: 'utf8' });
  const installed = new Set(
    result.stdout
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return wanted.filter((p) => !installed.has(p));
}

/**
 * Installs what is missing of `wanted` (the integration tests' packages by default), in one apt
 * run; idempotent (nothing to do on the second call).
 */
export async function ensureHostPackages(
  log: (line: string) => void,
  wanted: string[] = TEST_HOST_PACKAGES,
): Promise<string[]> {
  const missing = missingPackages(wanted);
  if (missing.length === 0) return [];
  const facts = hostFacts();
  if (!facts.isRoot || !facts.debianFamily) {
    throw new Error(
      `these Debian packages are needed: ${missing.join(' ')}; run: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing ${missing.join(' ')}`);
  await aptInstall(missing, 1);
  return missing;
}

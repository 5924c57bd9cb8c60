import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { BakeError, ExitCode } from '../../common/errors';
import { CREDENTIAL_FLAGS } from './module-credentials';
import { moduleProxyUrl } from './module-path';
import type { ProxyProbeInput } from './types';

const DEFAULT_TIMEOUT_MS = 15_000;
/** Errors of the TLS layer that mean "not a CA we trust", where ca.extra is the fix. */
const UNTRUSTED_TLS =
  /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID/;

/**
 * Asks the proxy, before any build, for each module's version list (`/@v/list`) without a
 * credential: one clear line when it cannot be reached (exit 6, naming where the URL came
 * from), or when it wants a credential and none was given (exit 2, naming the flag). A
 * credential, when given, is not tried here: it reaches only the builder's secret mounts.
 */
export async function probeModuleProxy(input: ProxyProbeInput): Promise<void> {
  const ca = [...rootCertificates, ...input.extraCa];
  for (const module of [...new Set(input.modules)]) {
    const url = moduleProxyUrl(input.proxy, module, 'list');
    const answer = await getStatus(url, ca, input.timeoutMs ?? DEFAULT_TIMEOUT_MS).catch(
      (err: NodeJS.ErrnoException) => {
        const tls = UNTRUSTED_TLS.test(err.code ?? '');
        throw new BakeError(
          `the module proxy ${input.proxy} (${input.source}) cannot be reached: ` +
            `${err.code ? `${err.code}: ` : ''}${err.message}`,
          ExitCode.Unavailable,
          tls
            ? "its certificate is not signed by a CA bake trusts: add the site's CA to the recipe's ca.extra"
            : 'check the URL, or name another with --go-proxy URL (or BAKE_GO_PROXY, or go.proxy in the recipe)',
        );
      },
    );
    if (answer.status === 401 || answer.status === 403) {
      if (input.credentialGiven) continue;
      throw new BakeError(
        `the module proxy ${input.proxy} answered ${answer.status} ${answer.statusText} for ${module}: ` +
          `it needs a credential; pass ${CREDENTIAL_FLAGS}`,
        ExitCode.Usage,
      );
    }
    if (answer.status === 404 || answer.status === 410) {
      if (input.credentialGiven) continue;
      throw new BakeError(
        `the module proxy ${input.proxy} has no module ${module} (${answer.status} ${answer.statusText})`,
        ExitCode.Unavailable,
        "check the tool's package and module in the recipe; a private module may need a credential: " +
          CREDENTIAL_FLAGS,
      );
    }
    if (answer.status >= 400)
      throw new BakeError(
        `the module proxy ${input.proxy} answered ${answer.status} ${answer.statusText} for ${module}`,
        ExitCode.Unavailable,
      );
  }
}

function getStatus(url: string, ca: string[], timeoutMs: number): Promise<{ status: number; statusText: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { method: 'GET', ca, timeout: timeoutMs }, (res) => {
      res.resume();
      resolvePromise({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '' });
    });
    req.on('timeout', () => {
      const err: NodeJS.ErrnoException = new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`);
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    req.on('error', reject);
    req.end();
  });
}

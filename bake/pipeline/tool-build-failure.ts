import { BakeError, ExitCode } from '../common/errors';
import { redact } from '../common/redact';
import { BuildFailedError } from '../engine/build/build-failure';
import { CREDENTIAL_FLAGS, withoutSecrets } from '../golang/modules/module-credentials';
import type { ModuleBuild } from './types';

/** What bake's helper prints when a tool step fails (images/gotools): one line, after this prefix. */
const HELPER_LINE = /bake-gotools: (.*)$/;

/**
 * A failed builder build, told in the terms of what went wrong with a module tool: a credential
 * the proxy refused (its status), a pinned hash the proxy's module does not match, a dependency
 * its go.sum does not vouch for, a proxy or checksum database the build cannot reach. Every
 * message passes through redaction, the credential's own values included. Anything else (a
 * failure outside the tool steps) is returned as it was.
 */
export function toolBuildFailure(err: unknown, build: ModuleBuild): unknown {
  if (!(err instanceof BuildFailedError)) return err;
  const said = [...err.output, err.engineMessage]
    .map((l) => HELPER_LINE.exec(l)?.[1])
    .filter((l): l is string => l !== undefined)
    .pop();
  if (said === undefined) return err;
  const clean = (text: string) => redact(withoutSecrets(text, build.credentials?.redactions ?? []));
  const line = clean(said);
  const proxy = `${build.proxy.url} (${build.proxy.source})`;

  const mismatch = /^checksum mismatch: (.*)$/.exec(line);
  if (mismatch)
    return new BakeError(
      `module checksum mismatch: ${mismatch[1]}`,
      ExitCode.Untrusted,
      'if the module was re-released on purpose, pin its new h1: hash in the recipe; ' +
        'otherwise the proxy serves altered code',
    );
  const deps = /^dependencies of (\S+) do not verify against its go\.sum/.exec(line);
  if (deps) {
    const security = err.output.map(clean).find((l) => /checksum mismatch|SECURITY ERROR/.test(l));
    const verifying = err.output.map(clean).find((l) => /^verifying \S+: checksum mismatch/.test(l.trim()));
    if (security)
      return new BakeError(
        `a dependency of ${deps[1]} does not match the hash in its go.sum${verifying ? `: ${verifying.trim()}` : ''}`,
        ExitCode.Untrusted,
        'the proxy serves a dependency that differs from what the tool was released with',
      );
    return new BakeError(`${line}`, ExitCode.Failure);
  }
  const download = /^download failed: (\S+): (.*)$/.exec(line);
  if (download) return downloadFailure(download[1], download[2], proxy, build);
  return new BakeError(`building a module tool failed: ${line}`, ExitCode.Failure);
}

function downloadFailure(ref: string, reason: string, proxy: string, build: ModuleBuild): BakeError {
  const status = /\b(40[13]) ([A-Za-z][A-Za-z ]*?)(?=$|[^A-Za-z ])/.exec(reason);
  if (status) {
    const answer = `${status[1]} ${status[2].trim()}`;
    if (build.credentials)
      return new BakeError(
        `the module proxy ${proxy} refused the credential from ${build.credentials.sources.join(' and ')} ` +
          `for ${ref}: ${answer}`,
        ExitCode.Unavailable,
        'check that the token is current and may read this module',
      );
    return new BakeError(
      `the module proxy ${proxy} answered ${answer} for ${ref}: it needs a credential`,
      ExitCode.Usage,
      `pass ${CREDENTIAL_FLAGS}`,
    );
  }
  if (/x509:|certificate signed by unknown authority|tls: failed to verify/.test(reason))
    return new BakeError(
      `the builder does not trust the certificate of the module proxy ${proxy}: ${reason}`,
      ExitCode.Unavailable,
      "add the site's CA certificate to the recipe's ca.extra",
    );
  if (/sum\.golang\.org|verifying module: .*(lookup|dial|connect|timeout)|checksum database/.test(reason))
    return new BakeError(
      `${ref} is a public module, verified through GOSUMDB, which cannot be reached from the build: ${reason}`,
      ExitCode.Unavailable,
      'use a module proxy that also serves the checksum database (Athens, Artifactory, Nexus do), ' +
        'or list the path in GONOSUMDB and pin its h1: hash in the recipe',
    );
  if (/dial tcp|connection refused|no such host|i\/o timeout|no route to host|TLS handshake timeout/.test(reason))
    return new BakeError(
      `the module proxy ${proxy} cannot be reached from the build: ${reason}`,
      ExitCode.Unavailable,
      'a build step does not see the host loopback: give an address the engine can reach (--go-proxy URL)',
    );
  if (/\b(404|410)\b|not found/.test(reason))
    return new BakeError(`the module proxy ${proxy} has no ${ref}: ${reason}`, ExitCode.Unavailable);
  return new BakeError(`fetching ${ref} through ${proxy} failed: ${reason}`, ExitCode.Failure);
}

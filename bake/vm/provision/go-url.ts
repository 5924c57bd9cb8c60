import { BakeError, ExitCode } from '../../common/errors';
import { assertNoUrlCredentials } from '../../common/url-credentials';
import type { GoDistribution } from '../../golang/types';

/**
 * Where a builder downloads the Go archive: `--go-url`, else the URL it was verified from when
 * that is one (official downloads, a mirror over HTTP). A Debian repack has no such URL. A URL
 * with credentials is refused: user data is readable through the EC2 API.
 */
export function goArchiveUrl(go: Pick<GoDistribution, 'origin' | 'filename'>, override?: string): string | undefined {
  const url = override ?? (/^https?:\/\//.test(go.origin) ? go.origin : undefined);
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BakeError(`--go-url: "${url}" is not a URL`, ExitCode.Usage);
  }
  if (!/^https?:$/.test(parsed.protocol))
    throw new BakeError(`--go-url: ${parsed.protocol} URLs are not supported; use http(s)`, ExitCode.Usage);
  // A presigned URL is a credential too, only a short-lived one; it has its own advice.
  if (/[?&](X-Amz-Signature|X-Amz-Credential|Signature|AWSAccessKeyId)=/i.test(parsed.search)) {
    throw new BakeError(
      '--go-url is a signed URL, a credential readable in the user data; ' +
        'publish the archive where builders download it without a secret ' +
        '(an internal mirror, a bucket open to the VPC endpoint)',
      ExitCode.Usage,
    );
  }
  assertNoUrlCredentials(url, '--go-url');
  return url;
}

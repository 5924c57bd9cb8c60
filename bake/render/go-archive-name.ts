import { BakeError, ExitCode } from '../common/errors';

/** Official archive names (and bake's repacks, which use them): nothing a Dockerfile or a script could misread. */
const GO_ARCHIVE_NAME = /^go[0-9]+(\.[0-9]+){1,2}([a-z]+[0-9]+)?\.linux-(amd64|arm64)\.tar\.gz$/;

export function assertGoArchiveName(filename: string): string {
  if (!GO_ARCHIVE_NAME.test(filename))
    throw new BakeError(`Go archive name "${filename}" is not of the form goX.Y.Z.linux-ARCH.tar.gz`, ExitCode.Failure);
  return filename;
}

import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * The content of a file a recipe names (`checks.import`, `ca.extra`), read only from inside the
 * recipes directory: every component of the path must be a real directory or, last, a regular
 * file. A symbolic link anywhere on the way is refused, so a recipe cannot reach a file the
 * recipes' reviewers never see; the schema already refuses absolute paths and `..`. The file
 * is opened with O_NOFOLLOW and checked again once open, so a link or a FIFO swapped in after
 * the checks is refused too. `what` names the file in messages ("an imported suite").
 */
export async function readRecipesDirFile(
  recipesDir: string,
  relative: string,
  options: { maxBytes: number; what: string },
): Promise<Buffer> {
  const parts = relative.split('/').filter((p) => p !== '' && p !== '.');
  let path = recipesDir;
  for (const [i, part] of parts.entries()) {
    path = join(path, part);
    const stat = await fs.lstat(path).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? 'no such file in the recipes directory' : `cannot read: ${err.code}`);
    });
    const last = i === parts.length - 1;
    if (stat.isSymbolicLink())
      throw new Error(
        `${last ? 'is' : `${parts.slice(0, i + 1).join('/')} is`} a symbolic link; ` +
          `${options.what} must be a file inside the recipes directory`,
      );
    if (!last && !stat.isDirectory()) throw new Error(`${parts.slice(0, i + 1).join('/')} is not a directory`);
    if (last && !stat.isFile()) throw new Error(stat.isDirectory() ? 'is a directory' : 'is not a regular file');
  }
  // O_NONBLOCK: a FIFO swapped in after the checks must not block the open.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await fs.open(path, flags).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ELOOP' ? 'is a symbolic link' : `cannot read: ${err.code}`);
  });
  try {
    if (!(await handle.stat()).isFile()) throw new Error('is not a regular file');
    const buffer = Buffer.alloc(options.maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > options.maxBytes) throw new Error(`is larger than ${options.maxBytes} bytes`);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

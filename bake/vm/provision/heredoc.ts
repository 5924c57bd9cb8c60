import { shellQuote } from '../../common/shell-quote';

/** The heredoc delimiter of written files: quoted, so the shell expands nothing inside. */
export const HEREDOC_END = 'BAKE_FILE_END';

/**
 * `write_file PATH MODE <<'END'` with the content verbatim: what a reviewer reads in the user
 * data is byte for byte what lands on the host. Content must end with a newline (a heredoc
 * always does) and contain no line equal to the delimiter.
 */
export function writeFileHeredoc(path: string, mode: string, content: string): string {
  if (!content.endsWith('\n')) throw new Error(`${path}: content must end with a newline to travel in a heredoc`);
  if (content.split('\n').includes(HEREDOC_END))
    throw new Error(`${path}: content contains the heredoc delimiter ${HEREDOC_END}`);
  return `  write_file ${shellQuote(path)} ${mode} <<'${HEREDOC_END}'\n${content}${HEREDOC_END}`;
}

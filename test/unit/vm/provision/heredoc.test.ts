import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEREDOC_END, writeFileHeredoc } from '../../../../bake/vm/provision/heredoc';
import { scratchDir } from '../../scratch-dir';

describe('writeFileHeredoc', () => {
  test('the content arrives byte for byte: the shell expands nothing inside', () => {
    const dir = scratchDir('bake-heredoc-');
    const path = join(dir, "it's a file");
    const content = 'GOPROXY="$(id)" `id` ${HOME} \\n \'quoted\'\n\ttabbed line\n\n';
    const script = `write_file() { cat > "$1"; chmod "$2" "$1"; }\n${writeFileHeredoc(path, '0644', content)}\n`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  test('the form a reviewer reads: the quoted path, the mode, a quoted delimiter', () => {
    expect(writeFileHeredoc('/etc/default/go-env', '0644', 'A=1\n')).toBe(
      "  write_file /etc/default/go-env 0644 <<'BAKE_FILE_END'\nA=1\nBAKE_FILE_END",
    );
  });

  test('refuses content without a final newline, or with a line that would end the heredoc early', () => {
    expect(() => writeFileHeredoc('/x', '0644', 'no newline')).toThrow('/x: content must end with a newline');
    expect(() => writeFileHeredoc('/x', '0644', `a\n${HEREDOC_END}\nrm -rf /\n`)).toThrow(
      '/x: content contains the heredoc delimiter BAKE_FILE_END',
    );
    // The delimiter inside a line is harmless.
    expect(() => writeFileHeredoc('/x', '0644', `# ${HEREDOC_END}\n`)).not.toThrow();
  });
});

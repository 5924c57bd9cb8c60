import { reportError } from '../../bake/cli';
import { BakeError } from '../../bake/common/errors';
import { runCli } from './cli/run-cli';

const SECRET = 's3cret';

const COMMANDS = [
  [],
  ['list'],
  ['plan'],
  ['base'],
  ['base', 'update'],
  ['outdated'],
  ['render'],
  ['build'],
  ['verify'],
  ['nightly'],
  ['registry'],
  ['registry', 'ls'],
  ['registry', 'show'],
  ['registry', 'pin'],
  ['registry', 'prune'],
  ['ami'],
  ['doctor'],
  ['go'],
  ['go', 'mirror'],
  ['recipe'],
  ['recipe', 'check'],
  ['recipe', 'schema'],
];

describe('bake CLI', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(top)', c]))('prints --help for %s', (_name, command) => {
    const r = runCli([...command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bake/);
  });
});

describe('reportError: what a failed command prints, redacted', () => {
  it('redacts message, hint and stack', () => {
    const written: string[] = [];
    const stream = { write: (text: string) => (written.push(text), true) };
    const err = new BakeError(
      `https://mirror.example/go/index.json?token=${SECRET}: connect ECONNREFUSED`,
      6,
      `check http://u:${SECRET}@proxy:3128`,
    );
    expect(reportError(err, true, stream)).toBe(6);
    expect(written[0]).toBe('bake: https://mirror.example/go/index.json?token=***: connect ECONNREFUSED\n');
    expect(written[1]).toBe('hint: check http://***@proxy:3128\n');
    expect(written[2]).toMatch(/^BakeError: https:\/\/mirror\.example\/go\/index\.json\?token=\*\*\*: connect/);
    expect(written.join('')).not.toContain(SECRET);
  });

  it('redacts an internal error too', () => {
    const written: string[] = [];
    reportError(
      new TypeError(`Request cannot be constructed from a URL that includes credentials: https://u:${SECRET}@h/`),
      false,
      { write: (t: string) => (written.push(t), true) },
    );
    expect(written).toEqual([
      'bake: internal error: Request cannot be constructed from a URL that includes credentials: https://***@h/\n',
      '(run again with --debug for the stack trace)\n',
    ]);
  });
});

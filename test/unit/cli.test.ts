import { reportError } from '../../bake/cli';
import { BakeError } from '../../bake/common/errors';
import { runCliAsync } from './cli/run-cli';

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
  // Side by side (it.concurrent): each test is mostly a CLI start, which keeps one CPU busy. Side
  // by side on a busy machine, a start can take seconds.
  jest.setTimeout(30_000);
  it.concurrent.each(COMMANDS.map((c) => [c.join(' ') || '(top)', c]))(
    'prints --help for %s',
    async (_name, command) => {
      const r = await runCliAsync([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: bake/);
    },
  );
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

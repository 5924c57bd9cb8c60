import { fitBlock, fitLine, LiveBlock } from '../../../../bake/engine/build/live-block';
import { FakeTerminal } from '../../fake-terminal';

const status = (n: number) => `target-${n}  #4 RUN apt-get install  running 1.0s  (4 steps, 1 cached)`;

describe('the fake terminal (what the tests below read the screen with)', () => {
  test('wraps at the last column only when the next character comes, and LF starts a new row', () => {
    const t = new FakeTerminal(5, 4);
    t.write('abcde\nfghijk\n');
    expect(t.screenRows()).toEqual(['abcde', 'fghij', 'k', '']);
    expect(t.lines()).toEqual(['abcde', 'fghijk']);
  });

  test('scrolls the top row into the history; cursor up stops at the top; erase below erases', () => {
    const t = new FakeTerminal(10, 2);
    t.write('1\n2\n3\n');
    expect(t.lines()).toEqual(['1', '2', '3']);
    t.write('\x1b[9A\r\x1b[J');
    expect(t.screenRows()).toEqual(['', '']);
    expect(t.lines()).toEqual(['1', '2']);
    expect(() => t.write('\x1b[?25l')).toThrow(/unsupported/);
  });
});

describe('fitLine and fitBlock', () => {
  test('a line is cut to one column less than the terminal, never wrapping', () => {
    expect(fitLine('abcdefghij', 11)).toBe('abcdefghij');
    expect(fitLine('abcdefghij', 10)).toBe('abcdef...');
    expect(fitLine('abcdefghij', 3)).toBe('ab');
    expect(fitLine('abc', 1)).toBe('a');
  });

  test('control characters become spaces, so a name cannot move the cursor', () => {
    expect(fitLine('RUN a \\\n\tb\x1b[2A', 80)).toBe('RUN a \\ b [2A');
  });

  test('a block taller than the screen keeps a row free and says how many lines it left out', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `l${i}`);
    expect(fitBlock(lines, 20)).toEqual(lines);
    expect(fitBlock(lines, undefined)).toEqual(lines);
    expect(fitBlock(lines, 13)).toEqual(lines);
    expect(fitBlock(lines, 6)).toEqual(['l0', 'l1', 'l2', 'l3', '... and 8 more']);
  });
});

describe('LiveBlock on a terminal', () => {
  test('log lines go above the block; the block stays the bottom rows', () => {
    const t = new FakeTerminal(80, 10);
    const block = new LiveBlock(t);
    block.render([status(1), status(2)]);
    block.print('first log line\n');
    block.render([status(1), status(2).replace('1.0s', '2.0s')]);
    block.print('second\nthird\n');
    expect(t.lines()).toEqual(['first log line', 'second', 'third', status(1), status(2).replace('1.0s', '2.0s')]);
    expect(t.cursor()).toEqual({ row: 5, col: 0 });
  });

  test('a log line wider than the terminal stays whole: no status line overwrites its wrapped end', () => {
    const t = new FakeTerminal(40, 10);
    const block = new LiveBlock(t);
    const long = `debian12-amd64/runtime: vetted, tagged ${'x'.repeat(60)}`;
    block.render([status(1), status(2)]);
    block.print(`${long}\n`);
    block.render([status(3), status(4)]);
    block.clear();
    expect(t.lines()).toEqual([long]);
  });

  test('cleared, the block leaves nothing behind, and what comes next follows the last log line', () => {
    const t = new FakeTerminal(80, 10);
    const block = new LiveBlock(t);
    block.render([status(1), status(2), status(3)]);
    block.print('log\n');
    block.clear();
    t.write('TARGET  KIND\n');
    block.print('late line\n');
    block.render([status(9)]);
    expect(t.lines()).toEqual(['log', 'TARGET  KIND', 'late line']);
  });

  test('a block that shrinks leaves none of its old rows behind', () => {
    const t = new FakeTerminal(80, 10);
    const block = new LiveBlock(t);
    block.render([status(1), status(2), status(3)]);
    block.render([status(4)]);
    expect(t.lines()).toEqual([status(4)]);
  });

  test('a partial line waits for its newline; one still waiting when the block clears is printed', () => {
    const t = new FakeTerminal(80, 10);
    const block = new LiveBlock(t);
    block.render([status(1)]);
    block.print('half ');
    block.render([status(2)]);
    block.print('and half\nrest');
    expect(t.lines()).toEqual(['half and half', status(2)]);
    block.clear();
    expect(t.lines()).toEqual(['half and half', 'rest']);
  });

  test('many log lines scroll into the history whole and in order; the block never does', () => {
    const t = new FakeTerminal(30, 6);
    const block = new LiveBlock(t);
    const logs = Array.from({ length: 25 }, (_, i) => `log ${i} ${'-'.repeat(i * 2 + 1)}`);
    for (const [i, line] of logs.entries()) {
      block.render([`a ${i}`, `b ${i}`]);
      block.print(`${line}\n`);
    }
    block.clear();
    expect(t.lines()).toEqual(logs);
  });

  test('the block follows the terminal size: cut to the width and the height as they are now', () => {
    const t = new FakeTerminal(80, 8);
    const block = new LiveBlock(t);
    block.render([status(1)]);
    t.columns = 20;
    block.render([status(2)]);
    expect(t.screenRows()[0]).toBe(fitLine(status(2), 20));
    expect(t.screenRows()[0].length).toBe(19);
    block.render(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    expect(t.screenRows()).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5', '... and 4 more', '']);
    block.print('log\n');
    block.clear();
    expect(t.lines()).toEqual(['log']);
  });

  test('writes nothing when there is nothing to draw or erase', () => {
    const t = new FakeTerminal(80, 8);
    const block = new LiveBlock(t);
    block.render([]);
    block.clear();
    expect(t.writes).toEqual([]);
  });
});

/** What a live block draws on: a terminal stream, whose size can change while it draws. */
export interface BlockStream {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

const CSI = '\x1b[';
const CLEAR_LINE = `${CSI}2K`;
const CLEAR_BELOW = `${CSI}J`;
const cursorUp = (n: number) => (n > 0 ? `${CSI}${n}A` : '');

/**
 * A line of the block as the terminal will show it: one row, never wrapped (the cursor
 * arithmetic counts rows, so a wrapped line would make the next redraw overwrite a log line),
 * with control characters turned into spaces so a step name cannot move the cursor itself.
 */
export function fitLine(line: string, columns: number): string {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ');
  const width = Math.max(1, columns - 1);
  if (plain.length <= width) return plain;
  return width > 3 ? `${plain.slice(0, width - 3)}...` : plain.slice(0, width);
}

/**
 * The lines a block shows within the terminal's height: a block taller than the screen
 * would scroll its own top off, beyond the reach of the cursor, and stay there.
 */
export function fitBlock(lines: string[], rows: number | undefined): string[] {
  if (rows === undefined || rows < 2) return lines;
  const room = rows - 1;
  if (lines.length <= room) return lines;
  const shown = Math.max(0, room - 1);
  return [...lines.slice(0, shown), `... and ${lines.length - shown} more`];
}

/**
 * The bottom of a terminal, owned by a live view: its lines are redrawn in place, and log
 * lines are printed above it, so a log line is never overwritten and the block never ends up
 * in the scrollback. Only whole lines are printed; a partial one waits for its newline.
 * Once cleared, the block is gone from the screen and whatever is printed goes straight through.
 */
export class LiveBlock {
  /** Rows the block occupies above the cursor, which sits at the start of the row below it. */
  private drawn = 0;
  private lines: string[] = [];
  private partial = '';
  private cleared = false;

  constructor(private readonly stream: BlockStream) {}

  render(lines: string[]): void {
    if (this.cleared) return;
    this.lines = lines;
    // Each row is overwritten rather than the whole block erased first, so it does not flicker.
    const home = this.drawn > 0 ? `${cursorUp(this.drawn)}\r` : '';
    const shrunk = this.drawn;
    const text = home + this.blockText();
    if (text) this.stream.write(this.drawn < shrunk ? text + CLEAR_BELOW : text);
  }

  print(text: string): void {
    const all = this.partial + text;
    const end = all.lastIndexOf('\n') + 1;
    this.partial = all.slice(end);
    if (end === 0) return;
    const complete = all.slice(0, end);
    this.stream.write(this.cleared ? complete : this.erase() + complete + this.blockText());
  }

  /** Removes the block from the screen; a partial line still waiting is printed as it is. */
  clear(): void {
    if (this.cleared) return;
    this.cleared = true;
    const rest = this.partial;
    this.partial = '';
    const text = this.erase() + rest;
    if (text) this.stream.write(text);
  }

  /** Back to the block's first row, with everything from there down erased. */
  private erase(): string {
    if (this.drawn === 0) return '';
    const text = `${cursorUp(this.drawn)}\r${CLEAR_BELOW}`;
    this.drawn = 0;
    return text;
  }

  private blockText(): string {
    const columns = this.stream.columns ?? 80;
    const shown = fitBlock(this.lines, this.stream.rows).map((line) => fitLine(line, columns));
    this.drawn = shown.length;
    return shown.map((line) => `${CLEAR_LINE}${line}\n`).join('');
  }
}

/**
 * A small terminal emulator for unit tests of what a live view leaves on screen: a grid of
 * `columns` × `rows` with a cursor, autowrap with the pending-wrap rule of VT100/xterm (a
 * character in the last column leaves the cursor there until the next one), scrolling into a
 * history, and the few control sequences a live view may use (CR, LF as the tty's CR LF,
 * cursor up, erase line, erase below). Anything else throws, so a view cannot rely on codes
 * this emulator does not understand.
 */
export class FakeTerminal {
  readonly isTTY = true;
  private screen: Row[];
  private readonly history: Row[] = [];
  private row = 0;
  private col = 0;
  private pendingWrap = false;
  /** Every write, as it came. */
  readonly writes: string[] = [];

  constructor(
    public columns: number,
    public rows: number,
  ) {
    this.screen = Array.from({ length: rows }, blankRow);
  }

  write(text: string): boolean {
    this.writes.push(text);
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\x1b') {
        const match = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(text.slice(i));
        if (!match) throw new Error(`unsupported escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.control(match[2], match[1]);
        i += match[0].length - 1;
      } else if (c === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === '\n') {
        this.col = 0;
        this.pendingWrap = false;
        this.lineFeed();
      } else if (c < ' ' || c === '\x7f') {
        throw new Error(`unsupported control character ${JSON.stringify(c)}`);
      } else {
        this.put(c);
      }
    }
    return true;
  }

  /** The rows on screen now, trailing spaces trimmed. */
  screenRows(): string[] {
    return this.screen.map((r) => r.text.trimEnd());
  }

  /**
   * What a person scrolling back sees: history then screen, rows a wrap continued joined into
   * one line (as `tmux capture-pane -J`), trailing blank rows dropped.
   */
  lines(): string[] {
    const out: string[] = [];
    let joining = false;
    for (const r of [...this.history, ...this.screen]) {
      if (joining) out[out.length - 1] += r.text.trimEnd();
      else out.push(r.text.trimEnd());
      joining = r.wrapped;
    }
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  cursor(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }

  private control(final: string, params: string): void {
    const n = params === '' ? undefined : Number(params);
    if (final === 'A') {
      this.row = Math.max(0, this.row - (n ?? 1));
      this.pendingWrap = false;
    } else if (final === 'K' && n === 2) {
      this.screen[this.row] = blankRow();
    } else if (final === 'J' && (n === undefined || n === 0)) {
      const current = this.screen[this.row];
      current.text = current.text.slice(0, this.col);
      current.wrapped = false;
      for (let r = this.row + 1; r < this.rows; r++) this.screen[r] = blankRow();
    } else {
      throw new Error(`unsupported control sequence CSI ${params}${final}`);
    }
  }

  private put(c: string): void {
    if (this.pendingWrap) {
      this.screen[this.row].wrapped = true;
      this.col = 0;
      this.pendingWrap = false;
      this.lineFeed();
    }
    const r = this.screen[this.row];
    r.text = r.text.padEnd(this.col).slice(0, this.col) + c + r.text.slice(this.col + 1);
    if (this.col === this.columns - 1) this.pendingWrap = true;
    else this.col++;
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.history.push(this.screen.shift()!);
    this.screen.push(blankRow());
  }
}

interface Row {
  text: string;
  /** The row's last character wrapped onto the next row. */
  wrapped: boolean;
}

function blankRow(this: void): Row {
  return { text: '', wrapped: false };
}

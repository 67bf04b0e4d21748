const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Finds the closing quote of a JSON string that may span chunks. HAR bytes are mostly long
 * strings, so this jumps from quote to quote with indexOf and only looks back at the backslashes
 * before each one: an odd run means the quote is escaped. A run can begin in an earlier chunk.
 */
export class StringEndFinder {
  /** Backslashes at the end of the previous chunk, inside the string. */
  private carried = 0;

  /** Call at each opening quote. */
  begin(): void {
    this.carried = 0;
  }

  /** Index of the closing quote at or after `from`, or -1 if the string goes on past this chunk. */
  find(chunk: Buffer, from: number): number {
    let pos = from;
    for (;;) {
      const q = chunk.indexOf(QUOTE, pos);
      if (q < 0) {
        let run = 0;
        for (let i = chunk.length - 1; i >= pos && chunk[i] === BACKSLASH; i--) run++;
        this.carried = run === chunk.length - pos ? this.carried + run : run;
        return -1;
      }
      let run = 0;
      let i = q - 1;
      while (i >= pos && chunk[i] === BACKSLASH) {
        run++;
        i--;
      }
      if (i < pos && pos === from) run += this.carried;
      this.carried = 0;
      if (run % 2 === 0) return q;
      pos = q + 1;
    }
  }
}

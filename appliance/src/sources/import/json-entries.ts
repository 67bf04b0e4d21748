/**
 * Finds the elements of `log.entries` in a HAR byte stream without parsing the whole document:
 * it tracks just enough JSON structure (containers, keys at the top two levels, strings) to cut
 * each entry out, so memory follows the largest entry, not the file. Strings — most of a HAR's
 * bytes are response bodies — are skipped with indexOf, which is what keeps this near
 * JSON.parse speed.
 */
/** One element of `log.entries`: its position in the array and its bytes. */
export interface ScannedEntry {
  index: number;
  bytes: Buffer;
}

export class ScanError extends Error {
  constructor(
    readonly kind: 'not-json' | 'no-entries' | 'truncated' | 'syntax',
    message: string,
    readonly entriesRead: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame {
  array: boolean;
  /** The key this container sits under (tracked for the top levels only). */
  key: string | undefined;
}

export class EntryScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  /** Backslashes at the end of the previous chunk, inside a string. */
  private carriedBackslashes = 0;
  private expectKey = false;
  private lastKey: string | undefined;
  private keyPieces: Buffer[] | undefined;
  private entriesDepth = -1;
  private entryPieces: Buffer[] | undefined;
  private entryStartDepth = -1;
  private entryIndex = 0;
  private sawEntries = false;
  private started = false;
  private done = false;
  /** Entry pieces held right now, for tests that check memory stays per-entry. */
  heldBytes = 0;
  /** Something other than white space followed the document (reported, not fatal). */
  trailingData = false;

  get entriesRead(): number {
    return this.entryIndex;
  }

  /** Feeds one chunk; returns the entries completed within it. */
  push(chunk: Buffer): ScannedEntry[] {
    const out: ScannedEntry[] = [];
    let pos = 0;
    let entryStart = this.entryPieces ? 0 : -1;
    const n = chunk.length;
    while (pos < n) {
      if (this.inString) {
        const end = this.findStringEnd(chunk, pos);
        if (end < 0) {
          if (this.keyPieces) this.keyPieces.push(chunk.subarray(pos));
          break;
        }
        if (this.keyPieces) {
          this.keyPieces.push(chunk.subarray(pos, end));
          this.lastKey = Buffer.concat(this.keyPieces).toString('utf8');
          this.keyPieces = undefined;
        }
        this.inString = false;
        pos = end + 1;
        continue;
      }
      const c = chunk[pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        pos++;
        continue;
      }
      if (!this.started) {
        if (c === 0xef && chunk[pos + 1] === 0xbb && chunk[pos + 2] === 0xbf) {
          pos += 3;
          continue;
        }
        if (c !== 0x7b) throw new ScanError('not-json', `the file starts with '${chunk.subarray(pos, pos + 16).toString('utf8').replace(/\s+/g, ' ')}'`, 0);
        this.started = true;
      }
      if (this.done) {
        this.trailingData = true;
        break;
      }
      switch (c) {
        case QUOTE: {
          this.inString = true;
          this.carriedBackslashes = 0;
          const top = this.stack[this.stack.length - 1];
          this.keyPieces = this.expectKey && top && !top.array && this.stack.length <= 2 ? [] : undefined;
          if (this.expectKey && top && !top.array && this.stack.length > 2) this.lastKey = undefined;
          this.expectKey = false;
          break;
        }
        case 0x3a: // ':'
          break;
        case 0x2c: {
          const top = this.stack[this.stack.length - 1];
          this.expectKey = top !== undefined && !top.array;
          break;
        }
        case 0x7b: // '{'
        case 0x5b: {
          const array = c === 0x5b;
          if (this.stack.length === this.entriesDepth && this.entryStartDepth < 0) {
            this.entryStartDepth = this.stack.length;
            entryStart = pos;
            this.entryPieces = [];
          }
          const parent = this.stack[this.stack.length - 1];
          const key = parent && !parent.array ? this.lastKey : undefined;
          this.stack.push({ array, key });
          if (array && key === 'entries' && this.stack.length === 3 && this.stack[1]?.key === 'log') {
            this.entriesDepth = 3;
            this.sawEntries = true;
          }
          this.expectKey = !array;
          this.lastKey = undefined;
          break;
        }
        case 0x7d: // '}'
        case 0x5d: {
          const frame = this.stack.pop();
          if (!frame || frame.array !== (c === 0x5d)) throw new ScanError('syntax', `mismatched '${String.fromCharCode(c)}'`, this.entryIndex);
          if (frame.array && this.stack.length + 1 === this.entriesDepth) this.entriesDepth = -1;
          if (this.entryStartDepth >= 0 && this.stack.length === this.entryStartDepth) {
            this.entryPieces!.push(chunk.subarray(entryStart, pos + 1));
            const bytes = this.entryPieces!.length === 1 ? Buffer.from(this.entryPieces![0]!) : Buffer.concat(this.entryPieces!);
            out.push({ index: this.entryIndex, bytes });
            this.entryPieces = undefined;
            this.entryStartDepth = -1;
            this.heldBytes = 0;
            entryStart = -1;
            this.entryIndex++;
          }
          if (this.stack.length === 0) this.done = true;
          this.expectKey = false;
          break;
        }
        default:
          // Numbers, true, false, null: skip to the next structural character.
          break;
      }
      pos++;
    }
    if (this.entryPieces && entryStart >= 0) {
      this.entryPieces.push(chunk.subarray(entryStart));
      this.heldBytes += n - entryStart;
    }
    return out;
  }

  /** Call at the end of the input: throws when the document or an entry was cut short. */
  finish(): void {
    if (!this.started) throw new ScanError('not-json', 'the file is empty', 0);
    if (this.entryPieces || this.inString || this.stack.length > 0) {
      const where = this.entryPieces ? `inside entry ${this.entryIndex}` : 'before the end of the document';
      throw new ScanError('truncated', `file ends ${where} — read ${this.entryIndex} entries; the file looks truncated`, this.entryIndex);
    }
    if (!this.sawEntries) throw new ScanError('no-entries', 'no log.entries array', 0);
  }

  /** Index of the closing quote of the string being read, or -1 if it continues past this chunk. */
  private findStringEnd(chunk: Buffer, from: number): number {
    let pos = from;
    for (;;) {
      const q = chunk.indexOf(QUOTE, pos);
      if (q < 0) {
        let run = 0;
        for (let i = chunk.length - 1; i >= pos && chunk[i] === BACKSLASH; i--) run++;
        this.carriedBackslashes = run === chunk.length - pos ? this.carriedBackslashes + run : run;
        return -1;
      }
      let run = 0;
      let i = q - 1;
      while (i >= pos && chunk[i] === BACKSLASH) {
        run++;
        i--;
      }
      if (i < pos && pos === from) run += this.carriedBackslashes;
      this.carriedBackslashes = 0;
      if (run % 2 === 0) return q;
      pos = q + 1;
    }
  }
}

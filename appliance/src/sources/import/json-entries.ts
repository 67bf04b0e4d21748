/**
 * Finds the elements of `log.entries` in a HAR byte stream without parsing the whole document:
 * it tracks just enough JSON structure (containers, the keys that lead to entries, strings) to
 * cut each entry out, so memory follows the largest entry, not the file. Strings are skipped with
 * indexOf, and containers off the path (headers, timings, pages) with a loop that only counts
 * brackets, so scanning costs a fraction of JSON.parse. Response bodies (`response.content.text`), most of a HAR's bytes and never inspected,
 * are cut out of the entry before it is parsed: they cost neither parse time nor memory.
 */
import { StringEndFinder } from './json-string-end.js';
import { ScanError, describeStart } from './scan-error.js';
import { plural } from '../../plural.js';

export { ScanError } from './scan-error.js';

/**
 * One element of `log.entries`: its position in the array and its bytes. The bytes may share
 * memory with the chunk they came from: use them before the next `push`.
 */
export interface ScannedEntry {
  index: number;
  bytes: Buffer;
}

export type EntrySink = (entry: ScannedEntry) => void;

const QUOTE = 0x22;
const EMPTY_STRING = Buffer.from('""');
/** Stands in for an element of `log.entries` that is a string, number or literal: it parses to null. */
const NOT_AN_OBJECT = Buffer.from('null');
const BOM = [0xef, 0xbb, 0xbf];
/** Stack depths: root object 1, log 2, entries array 3, an entry 4, its response 5, content 6. */
const ENTRIES_DEPTH = 3;
const CONTENT_DEPTH = 6;

/** The keys that matter: the path to entries and to response bodies. */
const KEYS = ['log', 'entries', 'response', 'content', 'text'].map((key) => ({ key, bytes: Buffer.from(key, 'latin1') }));

/**
 * The key in buf[start, end) when it is one of KEYS, else '' ("some other key"): compared byte by
 * byte, so no string is made for the dozens of other keys every entry has.
 */
function knownKey(buf: Buffer, start: number, end: number | undefined): string {
  const length = (end ?? buf.length) - start;
  next: for (const { key, bytes } of KEYS) {
    if (bytes.length !== length) continue;
    for (let i = 0; i < length; i++) if (buf[start + i] !== bytes[i]) continue next;
    return key;
  }
  return '';
}

interface Frame {
  array: boolean;
  /** The key this container sits under (tracked down to response.content). */
  key: string | undefined;
}

export class EntryScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  private readonly stringEnd = new StringEndFinder();
  private expectKey = false;
  private lastKey: string | undefined;
  private keyPieces: Buffer[] | undefined;
  private inEntries = false;
  private entryPieces: Buffer[] | undefined;
  /**
   * Closing brackets expected, innermost last, inside a container off the path to entries and
   * response bodies (headers, timings, pages ...): it is skipped with a tight loop, no keys read.
   */
  private readonly opaque: number[] = [];
  /** Inside a response body string that is being left out. */
  private skipping = false;
  private entryIndex = 0;
  private sawEntries = false;
  /** Inside a string, number or literal that is itself an element of `log.entries`. */
  private inScalarEntry = false;
  /** Bytes of a UTF-8 byte order mark seen before the document (it may span chunks). */
  private bomBytes = 0;
  private started = false;
  private done = false;
  /** Bytes of the current entry held right now (tests check it stays per-entry). */
  heldBytes = 0;
  /** Something other than white space followed the document (reported, not fatal). */
  trailingData = false;

  get entriesRead(): number {
    return this.entryIndex;
  }

  /** An entry has begun and is not complete yet. */
  get cuttingEntry(): boolean {
    return this.entryPieces !== undefined;
  }

  /** Feeds one chunk; hands each entry completed within it to `sink` as soon as it is cut out. */
  push(chunk: Buffer, sink: EntrySink): void {
    let pos = 0;
    let pieceStart = this.entryPieces && !this.skipping ? 0 : -1;
    const n = chunk.length;
    const keep = (to: number) => {
      if (pieceStart >= 0 && to > pieceStart) {
        this.entryPieces!.push(chunk.subarray(pieceStart, to));
        this.heldBytes += to - pieceStart;
      }
    };
    while (pos < n) {
      if (this.inString) {
        const end = this.stringEnd.find(chunk, pos);
        if (end < 0) {
          if (this.keyPieces) this.keyPieces.push(chunk.subarray(pos));
          break;
        }
        if (this.keyPieces) {
          this.lastKey = this.keyPieces.length === 0 ? knownKey(chunk, pos, end) : knownKey(Buffer.concat([...this.keyPieces, chunk.subarray(pos, end)]), 0, undefined);
          this.keyPieces = undefined;
        }
        if (this.skipping) {
          this.skipping = false;
          pieceStart = end + 1;
        }
        this.inString = false;
        pos = end + 1;
        continue;
      }
      if (this.opaque.length > 0) {
        pos = this.skipOpaque(chunk, pos);
        continue;
      }
      const c = chunk[pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        pos++;
        continue;
      }
      if (!this.started) {
        if (this.bomBytes < BOM.length && c === BOM[this.bomBytes]) {
          this.bomBytes++;
          pos++;
          continue;
        }
        if (c !== 0x7b) throw new ScanError('not-json', describeStart(chunk.subarray(pos, pos + 16)), 0);
        this.started = true;
      }
      if (this.done) {
        this.trailingData = true;
        break;
      }
      switch (c) {
        case QUOTE:
          if (this.startsScalarEntry()) this.inScalarEntry = true;
          this.inString = true;
          this.stringEnd.begin();
          if (this.expectKey) {
            this.keyPieces = [];
          } else if (this.isResponseBody()) {
            keep(pos);
            this.entryPieces!.push(EMPTY_STRING);
            pieceStart = -1;
            this.skipping = true;
          }
          this.expectKey = false;
          break;
        case 0x2c: {
          this.endScalarEntry(sink);
          const top = this.stack[this.stack.length - 1];
          this.expectKey = top !== undefined && !top.array;
          break;
        }
        case 0x7b:
        case 0x5b: {
          const array = c === 0x5b;
          if (this.inEntries && this.stack.length === ENTRIES_DEPTH && !this.entryPieces) {
            this.entryPieces = [];
            pieceStart = pos;
          }
          const parent = this.stack[this.stack.length - 1];
          const key = parent && !parent.array ? this.lastKey : undefined;
          if (!this.onPath(array, key)) {
            this.opaque.push(array ? 0x5d : 0x7d);
            break;
          }
          this.stack.push({ array, key });
          if (array && key === 'entries' && this.stack.length === ENTRIES_DEPTH && this.stack[1]?.key === 'log') {
            this.inEntries = true;
            this.sawEntries = true;
          }
          this.expectKey = !array;
          this.lastKey = undefined;
          break;
        }
        case 0x7d:
        case 0x5d: {
          if (c === 0x5d) this.endScalarEntry(sink);
          const frame = this.stack.pop();
          if (!frame || frame.array !== (c === 0x5d)) throw new ScanError('syntax', `a '${String.fromCharCode(c)}' that closes nothing open`, this.entryIndex);
          if (frame.array && this.stack.length + 1 === ENTRIES_DEPTH && this.inEntries) this.inEntries = false;
          if (this.entryPieces && this.stack.length === ENTRIES_DEPTH) {
            keep(pos + 1);
            const pieces = this.entryPieces;
            const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
            this.entryPieces = undefined;
            this.heldBytes = 0;
            pieceStart = -1;
            sink({ index: this.entryIndex++, bytes });
          }
          if (this.stack.length === 0) this.done = true;
          this.expectKey = false;
          break;
        }
        default:
          // ':' and the characters of numbers, true, false, null.
          if (c !== 0x3a && this.startsScalarEntry()) this.inScalarEntry = true;
          break;
      }
      pos++;
    }
    if (this.entryPieces) keep(n);
  }

  /** Call at the end of the input: throws when the document or an entry was cut short. */
  finish(): void {
    if (!this.started) throw new ScanError('not-json', 'the file is empty', 0);
    if (this.entryPieces || this.inString || this.stack.length > 0) {
      const where = this.entryPieces ? `inside entry ${this.entryIndex}` : 'before the end of the document';
      throw new ScanError('truncated', `file ends ${where} — read ${plural(this.entryIndex, 'entry', 'entries')}; the file looks truncated`, this.entryIndex);
    }
    if (!this.sawEntries) throw new ScanError('no-entries', 'no log.entries array', 0);
  }

  /**
   * A string, number or literal directly in `log.entries` is a bad entry, but it still takes an
   * index: later entries keep the numbers other tools show for them.
   */
  private startsScalarEntry(): boolean {
    return this.inEntries && !this.inScalarEntry && this.stack.length === ENTRIES_DEPTH;
  }

  private endScalarEntry(sink: EntrySink): void {
    if (!this.inScalarEntry) return;
    this.inScalarEntry = false;
    sink({ index: this.entryIndex++, bytes: NOT_AN_OBJECT });
  }

  /**
   * Whether a container about to open leads to entries or response bodies: the root, `log`,
   * `log.entries`, an entry, its `response` and `response.content`. Everything else is opaque.
   */
  private onPath(array: boolean, key: string | undefined): boolean {
    switch (this.stack.length) {
      case 0:
        return true;
      case 1:
        return !array && key === 'log';
      case 2:
        return array && key === 'entries';
      case ENTRIES_DEPTH:
        return true;
      case ENTRIES_DEPTH + 1:
        return !array && key === 'response' && !this.stack[ENTRIES_DEPTH]!.array;
      case CONTENT_DEPTH - 1:
        return !array && key === 'content';
      default:
        return false;
    }
  }

  /** Skips through an opaque container: only strings and brackets matter. Returns where to go on. */
  private skipOpaque(chunk: Buffer, from: number): number {
    const opaque = this.opaque;
    const n = chunk.length;
    for (let pos = from; pos < n; pos++) {
      const c = chunk[pos]!;
      if (c === QUOTE) {
        this.stringEnd.begin();
        const end = this.stringEnd.find(chunk, pos + 1);
        if (end < 0) {
          this.inString = true;
          return n;
        }
        pos = end;
      } else if (c === 0x7b) {
        opaque.push(0x7d);
      } else if (c === 0x5b) {
        opaque.push(0x5d);
      } else if (c === 0x7d || c === 0x5d) {
        if (opaque.pop() !== c) throw new ScanError('syntax', `a '${String.fromCharCode(c)}' that closes nothing open`, this.entryIndex);
        if (opaque.length === 0) {
          this.expectKey = false;
          return pos + 1;
        }
      }
    }
    return n;
  }

  /** A string value under `response.content.text` of an entry. */
  private isResponseBody(): boolean {
    const s = this.stack;
    return this.entryPieces !== undefined && s.length === CONTENT_DEPTH && this.lastKey === 'text' && s[CONTENT_DEPTH - 1]!.key === 'content' && s[CONTENT_DEPTH - 2]!.key === 'response';
  }
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
// eslint-disable-next-line no-restricted-imports -- the user's own .har.gz, streamed: memory stays per entry, no bomb in RAM
import { createGunzip } from 'node:zlib';
import type { Flow } from '../../model/index.js';
import { ImportError } from './errors.js';
import type { ImportProblem, ImportProgress } from './errors.js';
import { EntryProblem, entryToFlow } from './har-entry.js';
import { EntryScanner, ScanError } from './json-entries.js';
import type { ScannedEntry } from './json-entries.js';
import { ReorderBuffer } from './reorder.js';
import { plural } from '../../plural.js';

export interface HarReadOptions {
  /** Position of the file among those analysed together; part of every flow id (`har:<fileIndex>:<entry>`). */
  fileIndex: number;
  /** Device name for entries that do not record their client address (default `file:<basename>`). */
  device?: string;
  /** Request bodies longer than this are cut and flagged `bodyTruncated` (default 8 MiB). */
  maxBodyBytes?: number;
  /** Entries held to put flows back in start order (default 256; 0 keeps file order). */
  reorderWindow?: number;
  onProgress?: (p: ImportProgress) => void;
  onProblem?: (p: ImportProblem) => void;
}

/** What is held in memory at one moment while reading (for tests of the memory bound). */
export interface HeldCounts {
  /** Raw entries cut out or being cut out of the file and not yet turned into flows. */
  entries: number;
  /** Bytes of those raw entries. */
  bytes: number;
  /** Flows waiting in the reorder window. */
  flows: number;
}

/** How the bytes reach the scanner; readFlows picks gzip, tests pick tiny chunks. */
export interface HarStreamOptions {
  /** The file is a gzip-compressed HAR (`.har.gz`). */
  gzip?: boolean;
  /** Read size of the file stream (tests use tiny ones to cross every boundary). */
  chunkBytes?: number;
  /** Called after every entry with what is held right then. */
  onHeld?: (held: HeldCounts) => void;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const DEFAULT_REORDER_WINDOW = 256;
/** Request bodies the reorder window may hold together, besides its entry count. */
const REORDER_MAX_BODY_BYTES = 32 * 1024 * 1024;
const PROGRESS_EVERY = 1 << 20;
const CHUNK_BYTES = 1 << 20;

/**
 * Streams a HAR file and yields one Flow per entry, in start order within the reorder window.
 * A bad entry is reported through `onProblem` and skipped; a file that is not HAR, or ends early,
 * throws ImportError after every complete entry before the fault was yielded.
 */
export function readHarFlows(path: string, options: HarReadOptions): AsyncIterable<Flow> {
  return readHar(path, options, {});
}

/** readHarFlows, with a say in how the bytes arrive (gzip, chunk size) and a view of what is held. */
export async function* readHar(path: string, options: HarReadOptions, streamOptions: HarStreamOptions): AsyncGenerator<Flow> {
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (error) {
    throw new ImportError('unreadable', path, `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const raw = createReadStream(path, { highWaterMark: streamOptions.chunkBytes ?? CHUNK_BYTES });
  // pipeline, not pipe: a read error must reach the loop below instead of leaving it waiting.
  const stream: Readable = streamOptions.gzip ? pipeline(raw, createGunzip(), ignoreError) : raw;
  const scanner = new EntryScanner();
  const reorder = new ReorderBuffer(options.reorderWindow ?? DEFAULT_REORDER_WINDOW, REORDER_MAX_BODY_BYTES);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onHeld = streamOptions.onHeld;
  const ready: Flow[] = [];
  let flows = 0;
  let nextProgress = PROGRESS_EVERY;
  const take = (entry: ScannedEntry) => {
    // The scanner has let go of this entry's pieces; it holds at most the next one's beginning.
    onHeld?.({ entries: 1 + (scanner.cuttingEntry ? 1 : 0), bytes: entry.bytes.length + scanner.heldBytes, flows: reorder.size });
    const flow = toFlow(entry, path, options, maxBodyBytes);
    if (flow) reorder.add(flow, ready);
  };
  let failure: ImportError | undefined;
  try {
    for await (const chunk of stream) {
      scanner.push(chunk as Buffer, take);
      onHeld?.({ entries: scanner.cuttingEntry ? 1 : 0, bytes: scanner.heldBytes, flows: reorder.size });
      flows += ready.length;
      yield* ready.splice(0);
      if (options.onProgress && raw.bytesRead >= nextProgress) {
        nextProgress = raw.bytesRead + PROGRESS_EVERY;
        options.onProgress({ file: path, bytesRead: raw.bytesRead, totalBytes, flows });
      }
    }
    scanner.finish();
  } catch (error) {
    failure = asImportError(error, path, scanner.entriesRead);
  } finally {
    stream.destroy();
    raw.destroy();
  }
  // Entries read before a fault are good: yield them, then say what went wrong.
  reorder.drain(ready);
  flows += ready.length;
  yield* ready.splice(0);
  if (failure) throw failure;
  if (scanner.trailingData) options.onProblem?.({ file: path, at: 'end of file', reason: 'data after the end of the HAR document was ignored' });
  options.onProgress?.({ file: path, bytesRead: totalBytes, totalBytes, flows });
}

/** Errors of a gzip pipeline surface in the loop that reads it; this callback need not see them. */
function ignoreError(): void {}

function toFlow({ index, bytes }: ScannedEntry, file: string, options: HarReadOptions, maxBodyBytes: number): Flow | undefined {
  const at = `entry ${index}`;
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    options.onProblem?.({ file, at, reason: `invalid JSON (${(error as Error).message})` });
    return undefined;
  }
  try {
    return entryToFlow(raw, { file, fileIndex: options.fileIndex, index, device: options.device, maxBodyBytes });
  } catch (error) {
    if (!(error instanceof EntryProblem)) throw error;
    options.onProblem?.({ file, at, reason: error.message });
    return undefined;
  }
}

function asImportError(error: unknown, file: string, entriesRead: number): ImportError {
  if (error instanceof ImportError) return error;
  if (error instanceof ScanError) {
    if (error.kind === 'not-json' || error.kind === 'no-entries') {
      return new ImportError('malformed', file, `not a HAR file (expected a JSON object with log.entries; ${error.message})`);
    }
    return new ImportError('malformed', file, error.kind === 'truncated' ? error.message : `broken JSON after ${plural(entriesRead, 'entry', 'entries')}: ${error.message}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return new ImportError('malformed', file, `the gzip-compressed file ends early — read ${plural(entriesRead, 'entry', 'entries')}; the file looks truncated`);
  if (code === 'Z_DATA_ERROR') return new ImportError('malformed', file, `the gzip-compressed HAR is corrupt after ${plural(entriesRead, 'entry', 'entries')}`);
  if (code) return new ImportError('unreadable', file, `cannot read file: ${code}`);
  throw error;
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
// eslint-disable-next-line no-restricted-imports -- the user's own .har.gz, streamed: memory stays per entry, no bomb in RAM
import { createGunzip } from 'node:zlib';
import type { Flow } from '../../model/index.js';
import { ImportError } from './errors.js';
import type { ImportProblem, ImportProgress } from './errors.js';
import { EntryProblem, entryToFlow } from './har-entry.js';
import { EntryScanner, ScanError } from './json-entries.js';

export interface HarReadOptions {
  fileIndex: number;
  device?: string;
  maxBodyBytes?: number;
  /** Read a gzip-compressed HAR (`.har.gz`). */
  gzip?: boolean;
  /** Chunk size of the file stream (tests use tiny ones to cross every boundary). */
  chunkBytes?: number;
  onProgress?: (p: ImportProgress) => void;
  onProblem?: (p: ImportProblem) => void;
}

const PROGRESS_EVERY = 1 << 20;

/**
 * Streams a HAR file and yields one Flow per entry, in file order. A bad entry is reported through
 * `onProblem` and skipped; a file that is not HAR, or ends early, throws ImportError after every
 * complete entry before the fault was yielded.
 */
export async function* readHarFlows(path: string, options: HarReadOptions): AsyncGenerator<Flow> {
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (error) {
    throw new ImportError('unreadable', path, `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  const stream: Readable = options.gzip ? raw.pipe(createGunzip()) : raw;
  const scanner = new EntryScanner();
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  let flows = 0;
  let nextProgress = PROGRESS_EVERY;
  try {
    for await (const chunk of stream) {
      for (const { index, bytes } of scanner.push(chunk as Buffer)) {
        const flow = toFlow(bytes, path, index, options, maxBodyBytes);
        if (flow) {
          flows++;
          yield flow;
        }
      }
      if (options.onProgress && raw.bytesRead >= nextProgress) {
        nextProgress = raw.bytesRead + PROGRESS_EVERY;
        options.onProgress({ file: path, bytesRead: raw.bytesRead, totalBytes, flows });
      }
    }
    scanner.finish();
  } catch (error) {
    throw asImportError(error, path, scanner.entriesRead);
  }
  if (scanner.trailingData) options.onProblem?.({ file: path, at: 'end of file', reason: 'data after the end of the HAR document was ignored' });
  options.onProgress?.({ file: path, bytesRead: totalBytes, totalBytes, flows });
}

function toFlow(bytes: Buffer, file: string, index: number, options: HarReadOptions, maxBodyBytes: number): Flow | undefined {
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
    return new ImportError('malformed', file, error.kind === 'truncated' ? error.message : `broken JSON after ${entriesRead} entries: ${error.message}`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return new ImportError('malformed', file, `the gzip-compressed HAR is corrupt after ${entriesRead} entries`);
  if (code) return new ImportError('unreadable', file, `cannot read file: ${code}`);
  return new ImportError('malformed', file, String(error));
}

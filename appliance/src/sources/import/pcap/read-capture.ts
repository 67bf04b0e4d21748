import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Flow, TlsConnectionSeen } from '../../../model/index.js';
import { PacketFlows } from '../../packets/packet-flows.js';
import type { TrackerLimits } from '../../packets/tcp-tracker.js';
import { ImportError } from '../errors.js';
import type { HarReadOptions } from '../har.js';
import { ReorderBuffer } from '../reorder.js';
import { CaptureFileError } from './capture-file.js';
import type { CaptureFileReader } from './capture-file.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';

/** What reading a capture file takes beyond what every import takes. */
export interface CaptureReadOptions extends HarReadOptions {
  /** A TLS connection was seen (by its ClientHello); its content cannot be read. */
  onTlsConnection?: (connection: TlsConnectionSeen) => void;
  /** Read size of the file stream (tests use tiny ones to cross every boundary). */
  chunkBytes?: number;
  limits?: Partial<TrackerLimits>;
}

export type CaptureFormat = 'pcap' | 'pcapng';

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Flows are emitted when their response arrives; the window puts them back in request order. */
const DEFAULT_REORDER_WINDOW = 256;
const REORDER_MAX_BODY_BYTES = 32 * 1024 * 1024;
const PROGRESS_EVERY = 1 << 20;
const CHUNK_BYTES = 1 << 20;

/**
 * Streams a pcap or pcapng file and yields one Flow per plain-HTTP request, in request order
 * within the reorder window. A file whose header is unusable throws ImportError; a file that is
 * truncated or corrupt further on yields what was read and reports the fault through `onProblem`.
 */
export async function* readCaptureFlows(path: string, format: CaptureFormat, options: CaptureReadOptions): AsyncGenerator<Flow> {
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (error) {
    throw new ImportError('unreadable', path, `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const reader: CaptureFileReader = format === 'pcap' ? new PcapReader() : new PcapngReader();
  const reorder = new ReorderBuffer(options.reorderWindow ?? DEFAULT_REORDER_WINDOW, REORDER_MAX_BODY_BYTES);
  const ready: Flow[] = [];
  const packets = new PacketFlows({
    idPrefix: `pcap:${options.fileIndex}`,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onFlow: (flow) => reorder.add(flow, ready),
    onTlsConnection: (connection) => options.onTlsConnection?.(connection),
    onProblem: (at, reason) => options.onProblem?.({ file: path, at, reason }),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const onPacket = packets.packet.bind(packets);
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? CHUNK_BYTES });
  let flows = 0;
  let nextProgress = PROGRESS_EVERY;
  try {
    for await (const chunk of raw) {
      reader.push(chunk as Buffer, onPacket);
      flows += ready.length;
      yield* ready.splice(0);
      if (options.onProgress && raw.bytesRead >= nextProgress) {
        nextProgress = raw.bytesRead + PROGRESS_EVERY;
        options.onProgress({ file: path, bytesRead: raw.bytesRead, totalBytes, flows });
      }
    }
  } catch (error) {
    throw asImportError(error, path, format);
  } finally {
    raw.destroy();
  }
  let fault: string | undefined;
  try {
    fault = reader.end();
  } catch (error) {
    throw asImportError(error, path, format);
  }
  packets.finish();
  reorder.drain(ready);
  flows += ready.length;
  yield* ready.splice(0);
  if (fault) options.onProblem?.({ file: path, at: 'file', reason: fault });
  options.onProgress?.({ file: path, bytesRead: totalBytes, totalBytes, flows });
}

function asImportError(error: unknown, file: string, format: CaptureFormat): unknown {
  if (error instanceof CaptureFileError) return new ImportError('malformed', file, `${error.message} — is it a ${format} capture?`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return new ImportError('unreadable', file, `cannot read file: ${code}`);
  return error;
}

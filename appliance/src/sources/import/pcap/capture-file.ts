import type { CapturedPacket } from '../../packets/captured-packet.js';

/** A capture file reader fed the file in chunks of any size, as a stream delivers them. */
export interface CaptureFileReader {
  /** Reads every whole packet record in the bytes so far. Throws CaptureFileError when the file cannot be read at all. */
  push(chunk: Buffer, onPacket: (packet: CapturedPacket) => void): void;
  /** The file ended: what was wrong with its end or its middle, if anything (the packets before it were read). */
  end(): string | undefined;
  readonly packetsRead: number;
}

/** The file is not a capture this reader understands, or its header is broken: nothing in it can be used. */
export class CaptureFileError extends Error {}

/**
 * Holds the unread end of the previous chunk and joins it to the next, so a record split across
 * chunks is read whole. Only that end is copied, not the file.
 */
export class ChunkJoiner {
  private rest: Buffer = Buffer.alloc(0);

  /** The bytes to read now: the held end followed by `chunk`. */
  join(chunk: Buffer): Buffer {
    return this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
  }

  /** Keeps `b` from `offset` on for the next chunk. */
  keep(b: Buffer, offset: number): void {
    this.rest = b.subarray(offset);
  }

  get heldBytes(): number {
    return this.rest.length;
  }
}

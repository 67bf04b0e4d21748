import type { Readable } from 'node:stream';

/** A ClientHello fits in one TLS record: at most 2^14 bytes of plaintext after a 5-byte header. */
const MAX_TLS_RECORD = 5 + 16_384;

/** Enough bytes to decide what a connection is: a whole first TLS record, or any non-TLS byte. */
function decidable(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  if (bytes[0] !== 0x16) return true;
  if (bytes.length < 5) return false;
  return bytes.length >= Math.min(5 + bytes.readUInt16BE(3), MAX_TLS_RECORD);
}

/**
 * Reads the opening bytes of a connection before anything else touches it: the whole first TLS
 * record when it starts like one, else the first chunk. A ClientHello with a post-quantum key share
 * (Chrome, Android) is ~1.8 kB — two TCP segments on Wi-Fi — and Chrome shuffles its extensions,
 * so the server name may only arrive in the second segment. The bytes read (after `head`, bytes
 * already taken from the stream) are put back, with the stream paused, for whoever reads next.
 * Undefined when the connection ends before that much arrived.
 */
export function readOpeningBytes(stream: Readable, head: Buffer = Buffer.alloc(0)): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let bytes = head;
    const finish = (result: Buffer | undefined) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.pause();
      if (result && result.length > 0) stream.unshift(result);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
      if (decidable(bytes)) finish(bytes);
    };
    const onEnd = () => finish(undefined);
    if (decidable(bytes)) {
      finish(bytes);
      return;
    }
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
  });
}
